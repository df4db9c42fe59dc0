"""The person's notification preferences and the emails sent to them, for their own data
export (privacy.services.personal_data_export). Email bodies are left out: the subjects and
dates say what was sent, and the bodies held links meant for the person's inbox only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import Notification, Preferences

if TYPE_CHECKING:
    from stakeholders.models import User


def export_section(user: User) -> dict[str, Any]:
    preferences = Preferences.objects.filter(user=user).prefetch_related("countries").first()
    return {
        "notification_preferences": {
            "activity_emails": preferences.activity_emails,
            "event_reminders": preferences.event_reminders,
            "digest_frequency": preferences.digest_frequency,
            "countries_followed": sorted(str(c.code) for c in preferences.countries.all()),
            "last_digest": preferences.last_digest_at,
        }
        if preferences
        else None,
        "notifications": [
            {
                "subject": subject,
                "kind": kind,
                "status": status,
                "created": created_at,
                "sent": sent_at,
            }
            for subject, kind, status, created_at, sent_at in Notification.objects.filter(
                recipient=user
            )
            .order_by("created_at", "pk")
            .values_list("subject", "kind", "status", "created_at", "sent_at")
        ],
    }
