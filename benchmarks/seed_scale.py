"""Fill the database the environment names with the scale dataset (benchmarks/scale.py):

    DATABASE_URL=postgres://... python benchmarks/seed_scale.py [--factor F] [--seed S]

A management command run as a script, so that no installed app carries the generator into
production. Settings come from the environment, as for manage.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    # Set Django up as manage.py does, before the models are imported.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpi_portal.settings")
    import django

    django.setup()

from django.core.management.base import BaseCommand, CommandError, CommandParser  # noqa: E402

from benchmarks.scale import COUNTS, DEFAULT_SEED, AlreadyLoaded, seed_scale  # noqa: E402


class Command(BaseCommand):
    help = (
        "Build the large synthetic dataset for performance work (every UN member state, "
        f"{COUNTS['organizations']:,} organizations, {COUNTS['people']:,} people, "
        f"{COUNTS['updates']:,} progress reports, {COUNTS['registrations']:,} registrations). "
        "Run it once, on a database of its own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--factor",
            type=float,
            default=1.0,
            help="Multiply every count by this (0.01 builds a hundredth). Default: 1.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="The same seed builds the same rows."
        )

    def handle(self, *args: Any, factor: float, seed: int, **options: Any) -> None:
        if not 0 < factor <= 10:
            raise CommandError("--factor must be above 0 and at most 10.")
        self.stdout.write(f"Building the scale dataset (factor {factor:g}, seed {seed})...")
        try:
            written = seed_scale(factor=factor, seed=seed, log=self.stdout.write)
        except AlreadyLoaded as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Scale dataset ready: {sum(written.values()):,} rows written.")
        )


if __name__ == "__main__":
    # The first two words make the usage line read "python benchmarks/seed_scale.py".
    Command().run_from_argv(["python", "benchmarks/seed_scale.py", *sys.argv[1:]])
