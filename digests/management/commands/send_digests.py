from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import ngettext

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
        if frequency == DigestFrequency.DAILY:
            text = ngettext(
                "%(count)d daily digest written.", "%(count)d daily digests written.", written
            )
        else:
            text = ngettext(
                "%(count)d weekly digest written.", "%(count)d weekly digests written.", written
            )
        self.stdout.write(text % {"count": written})
