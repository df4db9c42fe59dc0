"""Registering, cancelling, and the calendars of one event and of one person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..calendars import calendar_for
from ..forms import RegistrationForm
from ..models import CONFIRMED_STATUSES, OPEN_STATUSES, CalendarFeed, Registration
from ..models import RegistrationStatus as Status
from ..services import (
    NO_SUCH_EVENT,
    calendar_feed_reset,
    registration_cancel,
    registration_create,
)
from .common import visible_event

REGISTERED_MESSAGES = {
    Status.REGISTERED: gettext_lazy("You are registered. The venue and online link are below."),
    Status.WAITLISTED: gettext_lazy(
        "The event is full: you are on the waiting list, number %(position)s. You will get "
        "an email if a seat frees up."
    ),
    Status.APPLIED: gettext_lazy(
        "Your application has been sent. The organizers will approve or decline it; you will "
        "get an email either way."
    ),
}


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the signed-in person. The service reads and checks the event under its lock,
    so the event is not loaded here first; one the person may not see is a 404."""
    form = RegistrationForm(request.POST, user=request.user)
    if not form.is_valid():
        event = visible_event(request, pk)
        messages.error(request, _("Choose one of your own organizations, or yourself."))
        return redirect(event)
    try:
        registration = registration_create(
            event=pk, user=request.user, organization=form.cleaned_data["organization"]
        )
    except ValidationError as error:
        if getattr(error, "code", None) == NO_SUCH_EVENT:
            raise Http404("No such event.") from None
        for message in error.messages:
            messages.error(request, message)
        return redirect("events:detail", pk=pk)
    event = registration.event
    message = str(REGISTERED_MESSAGES[registration.status])
    if registration.status == Status.WAITLISTED:
        ahead = event.registrations.filter(
            status=Status.WAITLISTED, position__lt=registration.position
        ).count()
        message = message % {"position": ahead + 1}
    level = messages.SUCCESS if registration.status == Status.REGISTERED else messages.WARNING
    messages.add_message(request, level, message)
    return redirect(event)


@login_required
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    """Give up one's place: a confirmation page, then the cancellation on POST."""
    event = visible_event(request, pk)
    registration = get_object_or_404(
        Registration, event=event, user=request.user, status__in=OPEN_STATUSES
    )
    if request.method == "POST":
        try:
            registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(event)
        messages.success(request, _("Your registration has been cancelled."))
        return redirect(event)
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    event = visible_event(request, pk)
    show_venue = request.user.has_perm("events.view_event_access", event)
    response = HttpResponse(
        calendar_for([(event, show_venue)], name=event.title),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@never_cache
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's registered events. The secret address is the only credential:
    calendar applications fetch it without signing in."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    registrations = (
        Registration.objects.filter(user=feed.user, status__in=CONFIRMED_STATUSES)
        .select_related("event")
        .order_by("event__starts_at")
    )
    response = HttpResponse(
        calendar_for(
            [(registration.event, True) for registration in registrations],
            name=_("My VPI events"),
        ),
        content_type="text/calendar; charset=utf-8",
    )
    return response


@login_required
@require_POST
def reset_feed(request: HttpRequest) -> HttpResponse:
    calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Your calendar has a new address. The old address no longer works.")
    )
    return redirect("events:mine")
