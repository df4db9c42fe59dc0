"""The unread count beside "Notifications" in the navigation of a signed-in person."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import PORTAL_CATEGORIES, Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # Counted only when a template shows it (one query).
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(
                recipient=user, read_at=None, category__in=PORTAL_CATEGORIES
            ).count()
        )
    }
