"""Organizers' pages: create and edit, postpone and cancel, registrations and invitations,
attendance, minutes and action items, the attendee export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.csv import csv_cell
from common.permissions import require_perm
from stakeholders.selectors import organization_name_for

from .. import services
from ..forms import (
    ActionItemFormSet,
    ActionItemMilestoneForm,
    AgendaFormSet,
    CancelEventForm,
    EventForm,
    InviteForm,
    OutcomeForm,
    PostponeForm,
    RegistrationChangeForm,
    WalkInsForm,
    with_more_rows,
)
from ..models import SEAT_STATUSES, ActionItem, Event, Registration, RegistrationStatus
from ..selectors import event_attendees
from .common import event_for


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _formset_data(request: HttpRequest, formset_class, prefix: str):
    """The posted data, and whether the person asked for more empty rows (then the page
    comes back with what they typed, and nothing is saved)."""
    if request.method != "POST":
        return None, False
    if "more_rows" in request.POST:
        return (
            with_more_rows(request.POST, prefix=prefix, absolute_max=formset_class.absolute_max),
            True,
        )
    return request.POST, False


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.add_event")
    data, more_rows = _formset_data(request, AgendaFormSet, "agenda")
    form = EventForm(data, user=request.user)
    agenda = AgendaFormSet(data, instance=Event(), prefix="agenda")
    if data is not None and not more_rows and form.is_valid() and agenda.is_valid():
        try:
            event = services.event_save(event_form=form, agenda_formset=agenda, actor=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The event has been created."))
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "agenda": agenda})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, "events.change_event")
    data, more_rows = _formset_data(request, AgendaFormSet, "agenda")
    form = EventForm(data, instance=event, user=request.user)
    agenda = AgendaFormSet(data, instance=event, prefix="agenda")
    if data is not None and not more_rows and form.is_valid() and agenda.is_valid():
        try:
            event = services.event_save(event_form=form, agenda_formset=agenda, actor=request.user)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("The event has been saved. Everyone on its lists is told what changed.")
                if services.changes_are_told(event, form.changed_data)
                else _("The event has been saved."),
            )
            return redirect(event)
    return render(
        request, "events/event_form.html", {"form": form, "agenda": agenda, "event": event}
    )


@login_required
def event_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, "events.change_event")
    form = PostponeForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_postpone(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The event has been moved. Everyone registered has been told.")
            )
            return redirect(event)
    return render(request, "events/event_postpone.html", {"form": form, "event": event})


@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, "events.change_event")
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                event=event, actor=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The event has been cancelled. Everyone registered has been told.")
            )
            return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee list with contact details, applications to decide and invitations.
    Each view of the list is recorded."""
    event = event_for(request, pk, "events.view_attendees")
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "events.manage_registrations", event)
        if invite_form.is_valid():
            try:
                services.registration_invite(
                    event=event, user=invite_form.cleaned_data["email"], actor=request.user
                )
            except ValidationError as error:
                _form_error(invite_form, error)
            else:
                messages.success(request, _("The person has been invited and told by email."))
                return redirect("events:registrations", pk=event.pk)
    rows = list(event_attendees(event=event, actor=request.user, purpose="viewed"))
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "registrations": rows,
            "invite_form": invite_form,
            "seats_taken": sum(1 for row in rows if row.status in SEAT_STATUSES),
            "lists_open": event.status in services.LIVE_STATUSES and not event.has_ended,
        },
    )


@login_required
def registrations_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk, "events.view_attendees")
    rows = list(event_attendees(event=event, actor=request.user, purpose="exported"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendees-event-{event.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Name"), _("Email"), _("Organization"), _("Status"), _("Waiting list"), _("Since")]
    )
    for row in rows:
        writer.writerow(
            csv_cell(value)
            for value in [
                row.user.public_name,
                row.user.email,
                organization_name_for(request.user, row.organization),
                row.get_status_display(),
                row.position or "",
                row.created_at.isoformat(),
            ]
        )
    return response


@login_required
@require_POST
def registration_decide(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = event_for(request, pk, "events.manage_registrations")
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    approve = request.POST.get("decision") == "approve"
    try:
        registration = services.registration_decide(
            registration=registration, actor=request.user, approve=approve
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {
                "name": registration.user.public_name,
                "status": registration.get_status_display().lower(),
            },
        )
    return redirect("events:registrations", pk=event.pk)


def _registration_change(request: HttpRequest, pk: int, registration_pk: int, *, action: str):
    event = event_for(request, pk, "events.manage_registrations")
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration_pk, event=event
    )
    form = RegistrationChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = (
            services.registration_remove if action == "remove" else services.registration_promote
        )
        try:
            change(
                registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                (
                    _("%(name)s has been removed from the list and told why.")
                    if action == "remove"
                    else _("%(name)s now has a seat and has been told.")
                )
                % {"name": registration.user.public_name},
            )
            return redirect("events:registrations", pk=event.pk)
    seats_taken = event.registrations.filter(status__in=SEAT_STATUSES).count()
    return render(
        request,
        "events/registration_change.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "action": action,
            "over_capacity": action == "promote"
            and event.capacity is not None
            and seats_taken >= event.capacity,
            "seats_taken": seats_taken,
        },
    )


@login_required
def registration_remove(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Take a person off the lists, with a reason they are told."""
    return _registration_change(request, pk, registration_pk, action="remove")


@login_required
def registration_promote(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Give a person on the waiting list a seat out of turn, with a recorded reason."""
    return _registration_change(request, pk, registration_pk, action="promote")


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick who attended, add the walk-ins, and so mark the event as held."""
    event = event_for(request, pk, "events.manage_registrations")
    rows = list(
        event.registrations.filter(status__in=SEAT_STATUSES)
        .select_related("user", "organization")
        .order_by("user__full_name", "pk")
    )
    walk_ins = WalkInsForm(
        request.POST or None, initial={"without_account": event.walk_ins_without_account}
    )
    if request.method == "POST" and walk_ins.is_valid():
        attended = {row.pk: f"attended-{row.pk}" in request.POST for row in rows}
        try:
            changed = services.attendance_record(
                event=event,
                actor=request.user,
                attended=attended,
                walk_ins=services.walk_ins_for(event, walk_ins.cleaned_data["emails"]),
                walk_ins_without_account=walk_ins.cleaned_data["without_account"],
            )
        except ValidationError as error:
            _form_error(walk_ins, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved (%(count)d change).",
                    "Attendance saved (%(count)d changes).",
                    changed,
                )
                % {"count": changed},
            )
            return redirect("events:attendance", pk=event.pk)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "rows": rows,
            "walk_ins": walk_ins,
            "attended": RegistrationStatus.ATTENDED,
        },
    )


@login_required
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the public summary, the restricted minutes and the action items."""
    event = event_for(request, pk, "events.change_event")
    data, more_rows = _formset_data(request, ActionItemFormSet, "actions")
    form = OutcomeForm(data, instance=event)
    items = ActionItemFormSet(data, instance=event, prefix="actions")
    if data is not None and not more_rows and form.is_valid() and items.is_valid():
        try:
            services.event_record_outcome(
                event=event,
                actor=request.user,
                public_summary=form.cleaned_data["public_summary"],
                minutes=form.cleaned_data["minutes"],
                action_items=items,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The summary, minutes and action items are published."))
            return redirect("events:minutes", pk=event.pk)
    return render(
        request, "events/outcome_form.html", {"form": form, "items": items, "event": event}
    )


@login_required
@require_POST
def action_item_to_milestone(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Put an action item on the initiative's roadmap as a milestone."""
    event = event_for(request, pk, "events.change_event")
    item = get_object_or_404(ActionItem, pk=item_pk, event=event)
    form = ActionItemMilestoneForm(
        request.POST, initiative=event.initiative, prefix=f"item-{item.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose a priority of the roadmap."))
        return redirect("events:minutes", pk=event.pk)
    try:
        milestone = services.action_item_to_milestone(
            action_item=item, priority=form.cleaned_data["priority"], actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(title)s” is now a milestone of the roadmap.") % {"title": milestone.title},
        )
    return redirect("events:minutes", pk=event.pk)
