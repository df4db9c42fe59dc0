"""iCalendar (RFC 5545) files for one event and for a person's registered events."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from notifications.services import absolute_url

from .models import Event, EventStatus

PRODID = "-//UNODC Civil Society Unit//VPI Portal//EN"


def event_uid(event: Event) -> str:
    """Stable for the life of the event, so calendars update rather than duplicate it."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "vpi-portal"
    return f"event-{event.pk}@{host}"


def _vevent(event: Event, *, show_venue: bool) -> VEvent:
    tz = event.tzinfo
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    # DTSTART/DTEND carry the event's TZID; the VTIMEZONE is added to the calendar.
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.title)
    url = absolute_url(event.get_absolute_url())
    vevent.add("url", url)
    vevent.add("description", f"{event.description}\n\n{url}".strip())
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    if show_venue and event.venue:
        vevent.add("location", event.venue)
    return vevent


def calendar_for(events: Iterable[tuple[Event, bool]], *, name: str) -> bytes:
    """A calendar of ``(event, show_venue)`` pairs. The venue is included only for people
    who may see it; online links never travel in calendar files."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event, show_venue in events:
        calendar.add_component(_vevent(event, show_venue=show_venue))
    calendar.add_missing_timezones()
    return calendar.to_ical()
