from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from notifications.services import notifications_sweep


class Command(BaseCommand):
    help = (
        "Deliver every pending email that is due and release claims of workers that died. "
        "Celery beat runs this every minute; run it by hand (or from cron) without beat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = notifications_sweep()
        released, enqueued = counts["released"], counts["enqueued"]
        self.stdout.write(
            ngettext(
                "Released %(count)d stale claim.", "Released %(count)d stale claims.", released
            )
            % {"count": released}
        )
        self.stdout.write(
            ngettext("Enqueued %(count)d email.", "Enqueued %(count)d emails.", enqueued)
            % {"count": enqueued}
        )
