"""Reads that other parts of the portal use, reads of personal data that are recorded, and
the small reads that key the event pages in the page cache."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from audit.services import audit_record
from countries.models import Initiative
from stakeholders.models import User

from .models import SEAT_STATUSES, Event, Registration, RegistrationStatus

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
