"""What every page of a signed-in person needs from this app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .two_factor import idle_limit


def session_clock(request: HttpRequest) -> dict[str, Any]:
    """How long the session lasts without a request, for the warning before it ends
    (templates/partials/session_warning.html). The person's standing it reads was read by
    the session middleware of the same request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_idle_seconds": idle_limit(request)}
