from typing import Any

from django.core.management.base import BaseCommand

from notifications.services import notifications_sweep


class Command(BaseCommand):
    help = (
        "Deliver every pending email that is due and release claims of workers that died. "
        "Celery beat runs this every minute; run it by hand (or from cron) without beat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = notifications_sweep()
        self.stdout.write(
            f"Released {counts['released']} stale claims, enqueued {counts['enqueued']} emails."
        )
