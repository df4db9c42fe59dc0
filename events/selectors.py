"""Reads that other parts of the portal use, reads of personal data that are recorded, and
the small reads that key the event pages in the page cache."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from audit.services import audit_record
from countries.models import Initiative
from stakeholders.models import User

from .models import SEAT_STATUSES, Event, Registration, RegistrationStatus
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
    """Seats taken, people waiting and applications to decide, in one query."""
    return Registration.objects.filter(event_id=event_id).aggregate(
        seats=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        applied=Count("pk", filter=Q(status=RegistrationStatus.APPLIED)),
    )


def my_events_fingerprint(user: User) -> str:
    """What changes whenever the person's registrations or calendar address change, for
    the page cache's key of their events page: every change to a registration goes through
    ``save()`` (which sets ``updated_at``) or deletes it. One query on the person's own
    rows. The calendar address is made here on the first visit, so that the page rendered
    then is kept under the address it shows."""
    count, updated, token = (
        User.objects.filter(pk=user.pk)
        .annotate(
            registrations=Count("event_registrations"),
            updated=Max("event_registrations__updated_at"),
        )
        .values_list("registrations", "updated", "calendar_feed__token")
        .get()
    )
    if token is None:
        token = calendar_feed_for(user).token
    return repr((count, updated, token))
