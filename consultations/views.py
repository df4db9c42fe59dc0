"""Consultations: the initiative's side asks, organizations answer by a deadline, each
input gets a reasoned response, and after the deadline the summary is read and exported."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import audit_record
from common.csv import csv_cell
from common.permissions import require_perm
from notifications.services import follows
from roadmaps.forms import ConfirmForm, ResponseForm
from roadmaps.views.milestones import private_download
from roadmaps.views.roadmaps import country_and_initiative, error_text, form_context

from . import services
from .forms import ConsultationForm, InputForm
from .models import Consultation, ConsultationInput
from .selectors import with_sources


def visible_consultations(request: HttpRequest):
    return Consultation.objects.visible_to(request.user).select_related("initiative__country")


def readable_consultations(request: HttpRequest):
    """The consultations the reader takes part in, and the public records of the others."""
    return Consultation.objects.readable_by(request.user).select_related("initiative__country")


def consultation_list(request: HttpRequest, code: str) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    consultations = list(readable_consultations(request).filter(initiative=initiative))
    visible = set(
        visible_consultations(request).filter(initiative=initiative).values_list("pk", flat=True)
    )
    for consultation in consultations:
        # Those who do not take part read its public record.
        consultation.link = (
            consultation.get_absolute_url()
            if consultation.pk in visible
            else reverse("consultations:summary", args=[consultation.pk])
        )
    return render(
        request,
        "consultations/list.html",
        {
            "country": country,
            "initiative": initiative,
            "consultations": consultations,
            "can_open": request.user.has_perm("consultations.open_consultation", initiative),
            "now": timezone.now(),
        },
    )


@login_required
def consultation_create(request: HttpRequest, code: str) -> HttpResponse:
    country, initiative = country_and_initiative(request, code)
    require_perm(request, "consultations.open_consultation", initiative)
    form = ConsultationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_open(
                initiative=initiative,
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                deadline=data["deadline"],
                audience=data["audience"],
                document=data.get("document_checked"),
                public_record=data["public_record"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation is open; its audience has been told."))
            return redirect(consultation)
    context = form_context(
        form,
        title=_("Open a consultation in %(country)s") % {"country": country.name},
        roadmap=None,
        back=country.get_absolute_url(),
        submit=_("Open the consultation"),
    )
    return render(request, "roadmaps/form.html", context)


def _get_consultation(request: HttpRequest, pk: int) -> Consultation:
    return get_object_or_404(visible_consultations(request), pk=pk)


def consultation_detail(
    request: HttpRequest, pk: int, input_form: InputForm | None = None
) -> HttpResponse:
    consultation = visible_consultations(request).filter(pk=pk).first()
    if consultation is None:
        if Consultation.objects.public_records().filter(pk=pk).exists():
            return redirect("consultations:summary", pk=pk)
        raise Http404("No consultation.")
    user = request.user
    sees_all = user.has_perm("consultations.view_all_inputs", consultation)
    inputs = consultation.inputs.select_related("organization", "author", "responded_by")
    organizations = services.eligible_organizations(user, consultation)
    speaks_for_alliance = services.speaks_for_alliance(user, consultation)
    if sees_all:
        shown_inputs = list(inputs)
    else:
        own = [org.pk for org in organizations]
        shown_inputs = [
            item
            for item in inputs
            if item.organization_id in own
            or item.author_id == user.pk
            or (item.organization_id is None and speaks_for_alliance)
        ]
    answered = {item.organization_id for item in inputs}
    remaining = [org for org in organizations if org.pk not in answered]
    alliance_open = speaks_for_alliance and None not in answered
    if input_form is None and consultation.accepts_inputs and (remaining or alliance_open):
        input_form = InputForm(organizations=remaining, alliance=alliance_open)
    can_submit = consultation.accepts_inputs and user.has_perm(
        "consultations.submit_input", consultation
    )
    context = {
        "consultation": consultation,
        "country": consultation.initiative.country,
        "inputs": with_sources(shown_inputs, user),
        "input_count": len(inputs) if sees_all else None,
        "sees_all": sees_all,
        "can_respond": user.has_perm("consultations.respond", consultation),
        "can_submit": can_submit,
        "input_form": input_form if can_submit or (input_form and input_form.errors) else None,
        "eligible": bool(organizations) or speaks_for_alliance,
        "response_form": ResponseForm(),
        "can_see_summary": consultation.is_past_deadline
        and user.has_perm("consultations.view_consultation_summary", consultation),
        "can_close": consultation.accepts_inputs
        and user.has_perm("consultations.open_consultation", consultation),
        "following": follows(user, consultation),
    }
    return render(request, "consultations/detail.html", context)


@require_POST
@login_required
def input_submit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_consultation(request, pk)
    require_perm(request, "consultations.submit_input", consultation)
    organizations = services.eligible_organizations(request.user, consultation)
    form = InputForm(
        request.POST,
        request.FILES,
        organizations=organizations,
        alliance=services.speaks_for_alliance(request.user, consultation),
    )
    if form.is_valid():
        try:
            services.input_submit(
                consultation=consultation,
                actor=request.user,
                organization=form.cleaned_data["organization"],
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment_checked"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your input was sent. You will be told of the response."))
            return redirect(consultation.get_absolute_url())
    messages.error(request, _("Your input was not sent: correct what is marked below."))
    response = consultation_detail(request, pk, input_form=form)
    return response


@login_required
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_consultation(request, pk)
    require_perm(request, "consultations.open_consultation", consultation)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_close(consultation=consultation, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The consultation is closed."))
            return redirect(consultation)
    context = form_context(
        form,
        title=_("Close the consultation before its deadline?"),
        roadmap=None,
        back=consultation.get_absolute_url(),
        submit=_("Close it"),
        explanation=_("No more input can be sent once it is closed."),
    )
    return render(request, "roadmaps/confirm.html", context)


@require_POST
@login_required
def input_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ConsultationInput.objects.filter(
            consultation__in=Consultation.objects.visible_to(request.user)
        ).select_related("consultation__initiative__country"),
        pk=pk,
    )
    require_perm(request, "consultations.respond", item)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.input_respond(
                consultation_input=item,
                actor=request.user,
                response=form.cleaned_data["response"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your response was published."))
    else:
        messages.error(request, _("Give a reasoned response: say what you did with the input."))
    return redirect(item.get_absolute_url())


def _summary_consultation(request: HttpRequest, pk: int) -> Consultation:
    consultation = get_object_or_404(readable_consultations(request), pk=pk)
    if not request.user.has_perm("consultations.view_consultation_summary", consultation):
        raise Http404("No summary.")
    return consultation


def consultation_summary(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _summary_consultation(request, pk)
    takes_part = request.user.has_perm("consultations.view_consultation", consultation)
    inputs = []
    if consultation.is_past_deadline:
        inputs = list(consultation.inputs.select_related("organization"))
    return render(
        request,
        "consultations/summary.html",
        {
            "consultation": consultation,
            "country": consultation.initiative.country,
            "inputs": with_sources(inputs, request.user),
            "answered": sum(1 for item in inputs if item.responded_at),
            # Attachments and the consultation's own page stay with those who take part.
            "takes_part": takes_part,
        },
    )


def consultation_summary_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every input and its response, without people's names."""
    consultation = _summary_consultation(request, pk)
    if not consultation.is_past_deadline:
        raise Http404("The summary opens after the deadline.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["submitted", "on_behalf_of", "input", "has_attachment", "responded", "response"]
    )
    for item in with_sources(consultation.inputs.select_related("organization"), request.user):
        writer.writerow(
            csv_cell(value)
            for value in [
                timezone.localtime(item.created_at).isoformat(timespec="minutes"),
                item.source,
                item.text,
                "yes" if item.attachment else "no",
                timezone.localtime(item.responded_at).isoformat(timespec="minutes")
                if item.responded_at
                else "",
                item.response,
            ]
        )
    if request.user.has_perm("consultations.view_consultation", consultation):
        # A public record's downloads are not one person's reading of private inputs.
        audit_record(
            actor=request.user, action="consultation.summary_exported", target=consultation
        )
    return response


def consultation_document(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _get_consultation(request, pk)
    if not consultation.document:
        raise Http404("No document.")
    return private_download(
        consultation.document,
        name=consultation.document_name,
        content_type=consultation.document_content_type,
    )


def input_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An input's attachment: for its organization's people, the initiative's side and
    staff; for the rest of the audience once the deadline has passed."""
    item = get_object_or_404(
        ConsultationInput.objects.filter(
            consultation__in=Consultation.objects.visible_to(request.user)
        )
        .exclude(attachment="")
        .select_related("consultation__initiative__country"),
        pk=pk,
    )
    user = request.user
    consultation = item.consultation
    allowed = (
        user.has_perm("consultations.view_all_inputs", consultation)
        or item.author_id == user.pk
        or (
            item.organization_id
            and user.memberships.filter(organization=item.organization_id).exists()
        )
        or (
            consultation.is_past_deadline
            and user.has_perm("consultations.view_consultation_summary", consultation)
        )
    )
    if not allowed:
        raise Http404("No such file.")
    return private_download(
        item.attachment, name=item.attachment_name, content_type=item.attachment_content_type
    )
