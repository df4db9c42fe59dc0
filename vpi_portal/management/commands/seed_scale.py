from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vpi_portal.scale import COUNTS, DEFAULT_SEED, AlreadyLoaded, seed_scale


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
