"""iCalendar (RFC 5545) files for one event and for a person's registered events.

Every value goes through icalendar's typed values (``vText``, ``vCalAddress``), which escape
what RFC 5545 requires. Properties that calendar applications show as one line (a title, a
place, the calendar's name) have their line breaks and other control characters folded into
spaces; the description keeps its paragraphs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from notifications.services import absolute_url

from .models import Event, EventStatus

PRODID = "-//UNODC Civil Society Unit//VPI Portal//EN"
ORGANIZER_NAME = "VPI Portal"


def one_line(text: str) -> vText:
    """A value shown on one line: line breaks, tabs and other control characters become
    single spaces."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return vText(" ".join(cleaned.split()))


def paragraphs(text: str) -> vText:
    """A value that may hold several lines: its line breaks are kept (as RFC 5545 escapes
    them), other control characters become spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return vText("".join(" " if unicodedata.category(c) == "Cc" and c != "\n" else c for c in text))


def organizer() -> vCalAddress:
    """The portal publishes its calendars (METHOD:PUBLISH): RFC 5546 asks each event of a
    published calendar for an ORGANIZER, and the portal's own address is the honest one."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
    value = vCalAddress(f"mailto:{address}")
    value.params["CN"] = vText(ORGANIZER_NAME)
    return value


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
    vevent.add("summary", one_line(event.title))
    vevent.add("organizer", organizer())
    url = absolute_url(event.get_absolute_url())
    vevent.add("url", url)
    vevent.add("description", paragraphs(f"{event.description}\n\n{url}".strip()))
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    if show_venue and event.venue:
        vevent.add("location", one_line(event.venue))
    return vevent


def calendar_for(events: Iterable[tuple[Event, bool]], *, name: str) -> bytes:
    """A calendar of ``(event, show_venue)`` pairs. The venue is included only for people
    who may see it; online links never travel in calendar files."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(str(name)))
    for event, show_venue in events:
        calendar.add_component(_vevent(event, show_venue=show_venue))
    calendar.add_missing_timezones()
    return calendar.to_ical()
