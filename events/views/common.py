from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from common.permissions import require_perm

from ..models import Event
from ..rules import can_see_event


def visible_event(request: HttpRequest, pk: int) -> Event:
    """The event if this viewer may know it exists; otherwise a 404."""
    event = get_object_or_404(
        Event.objects.select_related("initiative__country", "alliance__country"), pk=pk
    )
    if not can_see_event(request.user, event):
        raise Http404("No such event.")
    return event


def event_for(request: HttpRequest, pk: int, perm: str) -> Event:
    """A visible event on which the viewer holds ``perm`` (403 when seen but not allowed)."""
    event = visible_event(request, pk)
    require_perm(request, perm, event)
    return event
