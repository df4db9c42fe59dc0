from typing import Any

from django.core.management.base import BaseCommand

from events.reminders import deadline_reminders_write, event_reminders_write
from roadmaps.reminders import milestone_nudges_write
from stakeholders.reminders import membership_nudges_write


class Command(BaseCommand):
    help = (
        "Write the event reminders, deadline reminders and follow-up nudges that are due. "
        "Celery beat runs these on its own schedule; without beat, run this every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {
            "event reminders": event_reminders_write(),
            "deadline reminders": deadline_reminders_write(),
            "milestone nudges": milestone_nudges_write(),
            "membership nudges": membership_nudges_write(),
        }
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))
