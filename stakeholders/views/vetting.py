"""The vetting queue: CSU staff verify, reject, ask for more information, suspend and
reinstate organizations. Anyone else gets a 404 (visitors are asked to sign in first)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry

from ..filters import VettingFilter
from ..forms.organizations import VettingDecisionForm
from ..models import Organization, OrganizationStatus
from ..services import VETTING_TRANSITIONS, organization_vet

PAGE_SIZE = 25

# The decisions as staff see them, in the order they are offered.
DECISIONS = [
    (OrganizationStatus.VERIFIED, gettext_lazy("Verify"), "btn-success"),
    (OrganizationStatus.MORE_INFO, gettext_lazy("Ask for more information"), "btn-secondary"),
    (OrganizationStatus.REJECTED, gettext_lazy("Reject"), "btn-danger"),
    (OrganizationStatus.SUSPENDED, gettext_lazy("Suspend"), "btn-danger"),
    (OrganizationStatus.PENDING, gettext_lazy("Reopen the review"), "btn-outline-primary"),
]


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("stakeholders.view_vetting_queue"):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
def vetting_queue(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.with_namesakes()
        .select_related("country", "created_by")
        .order_by("created_at", "pk")
    )
    filterset = VettingFilter(request.GET, queryset=organizations)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/vetting/queue.html",
        {"filter": filterset, "page_obj": page, "total": page.paginator.count},
    )


def available_decisions(organization: Organization) -> list[dict]:
    reinstating = organization.status == OrganizationStatus.SUSPENDED
    return [
        {
            "value": value,
            "label": _("Reinstate")
            if reinstating and value == OrganizationStatus.VERIFIED
            else label,
            "button": button,
            "reason_required": value != OrganizationStatus.VERIFIED,
        }
        for value, label, button in DECISIONS
        if organization.status in VETTING_TRANSITIONS[value]
    ]


def decision_auto_id(data) -> str:
    """Field ids per decision: the page holds one form per decision."""
    return f"id_{slugify(data.get('decision', ''))}_%s"


@staff_only
def vetting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.select_related("country", "created_by", "status_changed_by"),
        slug=slug,
    )
    if not request.user.has_perm("stakeholders.vet_organization", organization):
        raise Http404("No such page.")
    failed_form = None
    if request.method == "POST":
        form = VettingDecisionForm(request.POST, auto_id=decision_auto_id(request.POST))
        if form.is_valid():
            seen = form.cleaned_data["seen_status"]
            try:
                organization_vet(
                    organization=organization,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    expected_status=seen,
                )
            except ValidationError as error:
                organization.refresh_from_db()
                if organization.status != seen:
                    messages.error(
                        request,
                        _(
                            "Another staff member decided in the meantime: %(name)s is now "
                            "“%(status)s”. Your decision was not applied."
                        )
                        % {
                            "name": organization.name,
                            "status": organization.get_status_display(),
                        },
                    )
                else:
                    messages.error(request, " ".join(error.messages))
                return redirect("stakeholders:vetting_detail", slug=organization.slug)
            messages.success(
                request,
                _("%(name)s is now “%(status)s”. Its admins have been emailed.")
                % {"name": organization.name, "status": organization.get_status_display()},
            )
            return redirect("stakeholders:vetting_detail", slug=organization.slug)
        failed_form = form
    history = AuditEntry.objects.filter(
        target_type=organization._meta.label_lower, target_id=str(organization.pk)
    ).select_related("actor")
    decisions = available_decisions(organization)
    for decision in decisions:
        if failed_form is not None and failed_form.data.get("decision") == decision["value"]:
            decision["form"] = failed_form
        else:
            decision["form"] = VettingDecisionForm(
                initial={"decision": decision["value"], "seen_status": organization.status},
                auto_id=decision_auto_id({"decision": decision["value"]}),
            )
    return render(
        request,
        "stakeholders/vetting/detail.html",
        {
            "organization": organization,
            "themes": organization.themes.all(),
            "member_count": organization.members.count(),
            # Registrations are never refused for a name already taken (that would reveal
            # hidden organizations): staff see the likely duplicates here and decide.
            "namesakes": Organization.objects.filter(
                country=organization.country_id, name__iexact=organization.name
            )
            .exclude(pk=organization.pk)
            .order_by("created_at"),
            "history": history,
            "decisions": decisions,
        },
    )
