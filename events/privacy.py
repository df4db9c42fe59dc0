"""The person's event registrations and calendar feed, for their own data export
(privacy.services.personal_data_export). The attendee lists of events appear only through
the person's own registrations."""

from __future__ import annotations

from typing import Any

from stakeholders.models import User

from .models import CalendarFeed, Registration


def export_section(user: User) -> dict[str, Any]:
    feed = CalendarFeed.objects.filter(user=user).first()
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "event_id": registration.event_id,
                "starts_at": registration.event.starts_at,
                "status": registration.status,
                "on_behalf_of": registration.organization.name
                if registration.organization
                else None,
                "registered": registration.created_at,
            }
            for registration in Registration.objects.filter(user=user)
            .select_related("event", "organization")
            .order_by("created_at", "pk")
        ],
        "calendar_feed": {"exists": True, "created": feed.created_at}
        if feed
        else {"exists": False},
    }
