"""Reads that other parts of the portal use, reads of personal data that are recorded, and
the small reads that key the event pages in the page cache."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from audit.services import audit_record
from countries.models import Initiative
from stakeholders.models import User

from .models import SEAT_STATUSES, CalendarFeed, Event, Registration, RegistrationStatus
from .services import calendar_feed_for

COUNTRY_PAGE_EVENTS = 5


def country_events(*, initiative: Initiative, user: User) -> dict[str, Any]:
    """The country page's events section: the next events of the initiative and of the
    country's alliance that this viewer may see."""
    events = (
        Event.objects.visible_to(user)
        .for_initiative(initiative)
        .upcoming()
        .select_related("initiative__country", "alliance__country")
    )
    return {"country_events": list(events[:COUNTRY_PAGE_EVENTS])}


def event_attendees(*, event: Event, actor: User, purpose: str) -> QuerySet[Registration]:
    """Everyone on the event's lists with their contact details, for organizers and staff.
    Each access is recorded as access to personal data (``purpose``: viewed or exported)."""
    audit_record(actor=actor, action=f"event.attendees_{purpose}", target=event, sensitive=True)
    return event.registrations.select_related("user", "organization").order_by(
        "status", "position", "created_at", "pk"
    )


def registration_counts(event_id: int) -> dict[str, int]:
    """Seats taken, people waiting and applications to decide, in one query.

    Written in SQL because every view of the page runs it, cached or not: the queryset
    that says the same costs ten times more to build than the database takes to answer."""
    seats = ", ".join(["%s"] * len(SEAT_STATUSES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FILTER (WHERE status IN ({seats})),"  # noqa: S608 (no input)
            " COUNT(*) FILTER (WHERE status = %s), COUNT(*) FILTER (WHERE status = %s)"
            f" FROM {Registration._meta.db_table} WHERE event_id = %s",
            [*SEAT_STATUSES, RegistrationStatus.WAITLISTED, RegistrationStatus.APPLIED, event_id],
        )
        seats_taken, waitlisted, applied = cursor.fetchone()
    return {"seats": seats_taken, "waitlisted": waitlisted, "applied": applied}


def my_events_fingerprint(user: User) -> str:
    """What changes whenever the person's registrations or calendar address change: every
    change to a registration goes through ``save()`` (which sets ``updated_at``) or
    deletes it. One query on the person's own rows, in SQL because it runs on every view
    of the page. The calendar address is made here on the first visit, so that the page
    rendered then is kept under the address it shows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), (SELECT token FROM {CalendarFeed._meta.db_table}"  # noqa: S608 (no input)
            f" WHERE user_id = %s) FROM {Registration._meta.db_table} WHERE user_id = %s",
            [user.pk, user.pk],
        )
        count, updated, token = cursor.fetchone()
    if token is None:
        token = calendar_feed_for(user).token
    return repr((count, updated, token))
