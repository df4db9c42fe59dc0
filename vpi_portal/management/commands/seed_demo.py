from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vpi_portal.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo countries, initiatives and accounts (idempotent; local use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off. Its passwords are public: "
            "never on a server that others can reach.",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords and runs only with "
                "DJANGO_DEBUG on. Use --force for a closed test server."
            )
        counts = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['countries']} countries, "
                f"{counts['initiatives']} initiatives, {counts['organizations']} organizations, "
                f"{counts['roadmaps']} roadmaps, {counts['events']} events, "
                f"{counts['accounts']} demo accounts."
            )
        )
        if options["verbosity"] > 1:
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.role}: {account.email} / {DEMO_PASSWORD}")
