from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand

from privacy.retention import retention_enforce


class Command(BaseCommand):
    help = (
        "Delete or anonymize what is past its retention period (docs/retention.md). Celery "
        "beat runs this every night; without beat, run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_enforce()
        self.stdout.write(
            ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in asdict(report).items())
        )
