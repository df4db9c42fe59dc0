"""The demo of every app in one command. It lives with the portal's wiring because it runs
the demo of each app in the order their data depends on each other."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from consultations.demo import seed_consultations
from countries.demo import seed_countries
from events.demo import seed_events
from groups.demo import seed_groups
from roadmaps.demo import seed_roadmaps
from stakeholders.demo import ACCOUNTS, DEMO_PASSWORD, seed_stakeholders


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or update the demo rows of every app. Running it again changes nothing."""
    counts = seed_countries()
    counts.update(seed_stakeholders())
    # Roadmaps first: the demo events turn action items into their milestones.
    counts.update(seed_roadmaps())
    counts.update(seed_consultations())
    counts.update(seed_events())
    counts.update(seed_groups())
    return counts


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
                f"{counts['working_groups']} working groups, "
                f"{counts['accounts']} demo accounts."
            )
        )
        if options["verbosity"] > 1:
            for account in ACCOUNTS:
                self.stdout.write(f"  {account.role}: {account.email} / {DEMO_PASSWORD}")
