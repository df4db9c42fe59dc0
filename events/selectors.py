"""Reads that other parts of the portal use, and reads of personal data that are recorded."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from audit.services import audit_record
from countries.models import Initiative
from stakeholders.models import User

from .models import Event, Registration

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
