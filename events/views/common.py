from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Event


def visible_event(request: HttpRequest, pk: int) -> Event:
    """The event if this viewer may know it exists; otherwise a 404."""
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related(
            "initiative__country", "alliance__country"
        ),
        pk=pk,
    )


def event_for(request: HttpRequest, pk: int, perm: str) -> Event:
    """A visible event on which the viewer holds ``perm`` (403 when seen but not allowed)."""
    event = visible_event(request, pk)
    if not request.user.has_perm(perm, event):
        raise PermissionDenied
    return event
