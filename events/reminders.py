"""What to remind registrants of, and when. Run every few minutes by beat (and by
``manage.py send_reminders`` where no beat runs); every reminder has a dedupe key, so a run
repeated any number of times writes each reminder once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Category
from notifications.services import absolute_url, notify
from stakeholders.models import User

from .models import Event, EventStatus, EventVisibility, RegistrationStatus

ACTIVE = (EventStatus.SCHEDULED, EventStatus.POSTPONED)


def due_offset(event: Event, now: datetime, offsets: list[int]) -> int | None:
    """The reminder due now: the smallest offset (in hours) whose window has opened. An
    event 23 hours away gets the 24-hour reminder only, never the 7-day one as well."""
    due = [hours for hours in offsets if event.starts_at - timedelta(hours=hours) <= now]
    return min(due) if due and event.starts_at > now else None


def event_reminders_write(*, now: datetime | None = None) -> int:
    """Write the reminders that are due. Returns how many emails were written."""
    now = now or timezone.now()
    offsets = sorted(settings.EVENT_REMINDER_OFFSETS_HOURS)
    horizon = now + timedelta(hours=max(offsets))
    events = Event.objects.filter(status__in=ACTIVE, starts_at__gt=now, starts_at__lte=horizon)
    written = 0
    for event in events.select_related("initiative__country"):
        hours = due_offset(event, now, offsets)
        if hours is None:
            continue
        people = User.objects.filter(
            event_registrations__event=event,
            event_registrations__status=RegistrationStatus.REGISTERED,
        )
        with transaction.atomic():
            written += len(
                notify(
                    recipients=people,
                    template="event_reminder",
                    context={
                        "event": event,
                        "hours": hours,
                        "url": absolute_url(event.get_absolute_url()),
                    },
                    category=Category.REMINDERS,
                    # A rescheduled event has a new start, hence new reminders.
                    dedupe_key=f"event-reminder:{event.pk}:{hours}h:{int(event.starts_at.timestamp())}",
                )
            )
    return written


def deadline_reminders_write(*, now: datetime | None = None) -> int:
    """Tell people who follow a country that registration for one of its open events
    closes within the coming day or two, unless they have registered already."""
    now = now or timezone.now()
    window = now + timedelta(hours=settings.EVENT_DEADLINE_REMINDER_HOURS)
    events = Event.objects.filter(
        status__in=ACTIVE,
        registration_closes_at__gt=now,
        registration_closes_at__lte=window,
        initiative__isnull=False,
        visibility__in=[EventVisibility.PUBLIC, EventVisibility.MEMBERS],
    ).select_related("initiative__country")
    written = 0
    for event in events:
        # Both are set: the query asks for an initiative and a closing time.
        assert event.initiative is not None
        assert event.registration_closes_at is not None
        followers = User.objects.filter(
            notification_preferences__countries=event.initiative.country_id,
            is_active=True,
        ).exclude(event_registrations__event=event)
        with transaction.atomic():
            written += len(
                notify(
                    recipients=followers,
                    template="event_deadline",
                    context={"event": event, "url": absolute_url(event.get_absolute_url())},
                    category=Category.REMINDERS,
                    dedupe_key=f"event-deadline:{event.pk}:{int(event.registration_closes_at.timestamp())}",
                )
            )
    return written
