"""Finding events and reading them: the list, the event page, one's own events."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.services import audit_record
from common.visitor_cache import cache_for_visitors
from notifications.services import follows
from roadmaps.models import Roadmap, RoadmapStatus

from ..filters import EventFilter
from ..forms import ActionItemMilestoneForm, RegistrationForm, editable_priorities
from ..models import (
    CONFIRMED_STATUSES,
    Event,
    Registration,
    RegistrationStatus,
    organizes_anything,
)
from ..selectors import registration_counts
from ..services import calendar_feed_for
from .common import event_for, visible_event

PAGE_SIZE = 20


@cache_for_visitors
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming or past events the viewer may see, filterable by country, kind, format and
    topic."""
    past = request.GET.get("when") == "past"
    events = Event.objects.visible_to(request.user)
    events = events.past() if past else events.upcoming()
    filterset = EventFilter(
        request.GET,
        queryset=events.select_related("initiative__country", "alliance__country"),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {"filter": filterset, "page_obj": page, "past": past},
    )


def seats_key(request: HttpRequest, pk: int) -> str:
    """The event page shows its free seats, which change with every registration (not a
    change of content): visitors' copies are kept per state of its registrations."""
    return "{seats}-{waitlisted}-{applied}".format(**registration_counts(pk))


@cache_for_visitors(vary=seats_key)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    counts = registration_counts(pk)
    user = request.user
    registration = None
    if user.is_authenticated:
        registration = (
            Registration.objects.filter(event=event, user=user)
            .select_related("organization")
            .first()
        )
    can_register = user.has_perm("events.register", event) and (
        registration is None or registration.status == RegistrationStatus.CANCELLED
    )
    context = {
        "event": event,
        "agenda": event.agenda_items.all(),
        "registration": registration,
        "counts": counts,
        "seats_left": (
            max(event.capacity - counts["seats"], 0) if event.capacity is not None else None
        ),
        "can_register": can_register,
        "registration_form": RegistrationForm(user=user) if can_register else None,
        "can_see_access": user.has_perm("events.view_event_access", event),
        "can_manage": user.has_perm("events.change_event", event),
        "can_see_minutes": user.has_perm("events.view_minutes", event),
        "viewer_time_zone": timezone.get_current_timezone_name(),
        "following": follows(user, event),
    }
    return render(request, "events/event_detail.html", context)


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    """The person's registrations, upcoming first, and the address of their calendar."""
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(user=request.user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    organized = (
        Event.objects.organized_by(request.user)
        .filter(ends_at__gte=now)
        .select_related("initiative__country", "alliance__country")
        .order_by("starts_at")
        if organizes_anything(request.user)
        else Event.objects.none()
    )
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": [r for r in registrations if r.event.ends_at >= now],
            "past": [r for r in reversed(registrations) if r.event.ends_at < now],
            "organized": organized,
            "feed": calendar_feed_for(request.user),
            "confirmed_statuses": CONFIRMED_STATUSES,
        },
    )


def minutes(request: HttpRequest, pk: int, export: bool = False) -> HttpResponse:
    """The restricted minutes and action items. Participants are named only where the
    viewer may learn who attended (never to non-organizers under the Chatham House rule);
    each reading of their names is recorded as access to personal data, as for the other
    lists of an event's people."""
    event = event_for(request, pk, "events.view_minutes")
    show_names = request.user.has_perm("events.view_participant_names", event)
    if show_names:
        audit_record(
            actor=request.user,
            action=f"event.participants_{'exported' if export else 'viewed'}",
            target=event,
            sensitive=True,
        )
    participants = (
        event.registrations.filter(status=RegistrationStatus.ATTENDED)
        .select_related("user", "organization")
        .order_by("user__display_name", "user__full_name")
        if show_names
        else Registration.objects.none()
    )
    action_items = list(
        event.action_items.select_related("milestone__priority__roadmap__initiative__country")
    )
    priorities = editable_priorities(event.initiative)
    can_link = (
        not export
        and request.user.has_perm("events.change_event", event)
        and priorities.exists()
        and request.user.has_perm("roadmaps.change_roadmap", priorities[0].roadmap)
    )
    for item in action_items:
        item.milestone_form = (
            ActionItemMilestoneForm(initiative=event.initiative, prefix=f"item-{item.pk}")
            if can_link and item.milestone_id is None
            else None
        )
    # Why an organizer finds no "Add to the roadmap": the roadmap takes new milestones only
    # as a draft or a revision, and the adopted one is frozen.
    frozen_roadmap = None
    if (
        not export
        and not can_link
        and event.initiative_id is not None
        and any(item.milestone_id is None for item in action_items)
        and request.user.has_perm("events.change_event", event)
    ):
        frozen_roadmap = Roadmap.objects.filter(
            initiative_id=event.initiative_id, status=RoadmapStatus.ADOPTED
        ).first()
    template, content_type = "events/minutes.html", None
    if export:
        template, content_type = "events/minutes.txt", "text/plain; charset=utf-8"
    response = render(
        request,
        template,
        {
            "event": event,
            "action_items": action_items,
            "participants": participants,
            "can_manage": request.user.has_perm("events.change_event", event),
            "show_names": show_names,
            "frozen_roadmap": frozen_roadmap,
            "can_revise": frozen_roadmap is not None
            and request.user.has_perm("roadmaps.change_roadmap", frozen_roadmap),
        },
        content_type=content_type,
    )
    if export:
        response["Content-Disposition"] = f'attachment; filename="minutes-event-{event.pk}.txt"'
    return response
