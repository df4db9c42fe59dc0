from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from digests.services import digest_chunks, digests_build
from notifications.models import DigestFrequency


class Command(BaseCommand):
    help = "Write the daily or weekly progress digests (Celery beat does this without you)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.DAILY, DigestFrequency.WEEKLY],
            default=DigestFrequency.WEEKLY,
        )

    def handle(self, *args: Any, frequency: str, **options: Any) -> None:
        written = sum(
            digests_build(frequency=frequency, user_ids=ids) for ids in digest_chunks(frequency)
        )
        self.stdout.write(f"{written} {frequency} digests written.")
