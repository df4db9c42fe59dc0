from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from events.reminders import deadline_reminders_write, event_reminders_write
from events.services import waiting_lists_close
from roadmaps.reminders import milestone_nudges_write
from stakeholders.reminders import membership_nudges_write


class Command(BaseCommand):
    help = (
        "Write the event reminders, deadline reminders and follow-up nudges that are due, "
        "and close the waiting lists of events that have ended. "
        "Celery beat runs these on its own schedule; without beat, run this every few minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        events = event_reminders_write()
        deadlines = deadline_reminders_write()
        milestones = milestone_nudges_write()
        memberships = membership_nudges_write()
        closed = waiting_lists_close()
        lines = [
            ngettext("%(count)d event reminder", "%(count)d event reminders", events),
            ngettext("%(count)d deadline reminder", "%(count)d deadline reminders", deadlines),
            ngettext("%(count)d milestone nudge", "%(count)d milestone nudges", milestones),
            ngettext("%(count)d membership nudge", "%(count)d membership nudges", memberships),
            ngettext(
                "%(count)d waiting-list place closed",
                "%(count)d waiting-list places closed",
                closed,
            ),
        ]
        counts = [events, deadlines, milestones, memberships, closed]
        self.stdout.write(
            ", ".join(line % {"count": count} for line, count in zip(lines, counts, strict=True))
        )
