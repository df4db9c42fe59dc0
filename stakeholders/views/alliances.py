"""The alliance page, join requests, the coordinator queue, member contacts and the alliance
administration of CSU staff.

An alliance is seen by whoever may see its country's initiative; anything else is a 404.
Pages reserved to coordinators and staff answer 404 to everyone else, so that they confirm
nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import audit_record
from common.csv import csv_cell
from common.visitor_cache import cache_for_visitors
from countries.models import Initiative

from .. import services
from ..forms.alliances import AllianceForm, CoordinatorForm, DecisionForm, JoinRequestForm
from ..models import (
    OPEN_MEMBERSHIP_STATUSES,
    Alliance,
    AllianceMembership,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    User,
)
from ..selectors import alliance_kind_counts


def alliance_for(user: User, code: str) -> Alliance:
    """The alliance of the country ``code``, if this person may see the country's initiative."""
    try:
        alliance = Alliance.objects.select_related("country").get(country__code=code.upper())
    except (Alliance.DoesNotExist, ValueError):
        raise Http404("No alliance in this country.") from None
    if not Initiative.objects.visible_to(user).filter(country_id=alliance.country_id).exists():
        raise Http404("No alliance in this country.")
    return alliance


@dataclass
class OwnOrganization:
    """One of the viewer's organizations in the alliance's country, with its latest request."""

    organization: Organization
    membership: AllianceMembership | None
    can_request: bool
    can_withdraw: bool

    @property
    def is_open(self) -> bool:
        return self.membership is not None and self.membership.status in OPEN_MEMBERSHIP_STATUSES


def own_organizations(user: User, alliance: Alliance) -> list[OwnOrganization]:
    if not user.is_authenticated:
        return []
    organizations = list(
        Organization.objects.filter(members__user=user, country_id=alliance.country_id).order_by(
            "name"
        )
    )
    latest: dict[int, AllianceMembership] = {}
    for membership in alliance.memberships.filter(organization__in=organizations).order_by(
        "-requested_at", "-pk"
    ):
        latest.setdefault(membership.organization_id, membership)
    rows = []
    for organization in organizations:
        membership = latest.get(organization.pk)
        if membership is not None:
            membership.organization = organization
        rows.append(
            OwnOrganization(
                organization=organization,
                membership=membership,
                can_request=user.has_perm("stakeholders.request_alliance_membership", organization),
                can_withdraw=membership is not None
                and membership.status in OPEN_MEMBERSHIP_STATUSES
                and user.has_perm("stakeholders.withdraw_alliance_membership", membership),
            )
        )
    return rows


def join_form(
    own: list[OwnOrganization], data: dict | None = None, *, include_open: bool = False
) -> JoinRequestForm | None:
    """The join form over the organizations this person may ask for. A posted form also
    accepts organizations that already asked, so that a second submit reaches the service
    and gets its clear answer instead of "not a valid choice"."""
    pks = [
        row.organization.pk for row in own if row.can_request and (include_open or not row.is_open)
    ]
    if not pks:
        return None
    return JoinRequestForm(data, organizations=Organization.objects.filter(pk__in=pks))


@cache_for_visitors
def alliance_detail(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for(request.user, code)
    user = request.user
    can_see_members = user.has_perm("stakeholders.view_alliance_members", alliance)
    members: list[Organization] = []
    if can_see_members:
        members = list(
            Organization.objects.visible_to(user)
            .filter(
                alliance_memberships__alliance=alliance,
                alliance_memberships__status=MembershipStatus.APPROVED,
            )
            .order_by("name")
        )
    kinds = alliance_kind_counts(alliance)
    own = own_organizations(user, alliance)
    context = {
        "alliance": alliance,
        "country": alliance.country,
        "coordinators": list(alliance.coordinators.filter(is_active=True))
        if user.is_authenticated
        else [],
        "kinds": kinds,
        "member_total": sum(row.count for row in kinds),
        "can_see_members": can_see_members,
        "members": members,
        "own_organizations": own,
        "join_form": join_form(own),
        "can_decide": user.has_perm("stakeholders.decide_alliance_membership", alliance),
        "can_manage": user.has_perm("stakeholders.manage_alliance", alliance),
    }
    return render(request, "stakeholders/alliances/detail.html", context)


@login_required
def alliance_join(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for(request.user, code)
    own = own_organizations(request.user, alliance)
    if request.method == "POST":
        form = join_form(own, request.POST, include_open=True)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.membership_request(
                    organization=form.cleaned_data["organization"],
                    actor=request.user,
                    motivation=form.cleaned_data["motivation"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(alliance)
            messages.success(
                request,
                _("Your request has been sent. The coordinators will answer by email."),
            )
            return redirect(alliance)
    else:
        form = join_form(own)
    return render(
        request,
        "stakeholders/alliances/join.html",
        {"alliance": alliance, "form": form, "own_organizations": own},
    )


@login_required
def membership_withdraw(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    alliance = alliance_for(request.user, code)
    membership = get_object_or_404(alliance.memberships.select_related("organization"), pk=pk)
    if not request.user.has_perm("stakeholders.withdraw_alliance_membership", membership):
        raise Http404("No such membership.")
    if request.method == "POST":
        try:
            services.membership_decide(
                membership=membership, actor=request.user, decision=MembershipStatus.WITHDRAWN
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(organization)s has withdrawn from the alliance.")
                % {"organization": membership.organization.name},
            )
        return redirect(alliance)
    if membership.status not in OPEN_MEMBERSHIP_STATUSES:
        messages.info(
            request,
            _("This request is already %(status)s.")
            % {"status": membership.get_status_display().lower()},
        )
        return redirect(alliance)
    return render(
        request,
        "stakeholders/alliances/withdraw.html",
        {"alliance": alliance, "membership": membership},
    )


# --- Coordinator queue ---------------------------------------------------------------------


def alliance_for_coordinator(user: User, code: str) -> Alliance:
    alliance = alliance_for(user, code)
    if not user.has_perm("stakeholders.decide_alliance_membership", alliance):
        raise Http404("No alliance in this country.")
    return alliance


RECENT_DECISIONS = 20


@login_required
def alliance_requests(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for_coordinator(request.user, code)
    memberships = alliance.memberships.select_related("organization", "requested_by")
    context = {
        "alliance": alliance,
        "pending": memberships.filter(status=MembershipStatus.REQUESTED).order_by(
            "requested_at", "pk"
        ),
        "members": memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("decided_by")
        .order_by("organization__name"),
        "recent": memberships.exclude(status__in=OPEN_MEMBERSHIP_STATUSES)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")[:RECENT_DECISIONS],
        "can_see_contacts": request.user.has_perm(
            "stakeholders.view_alliance_member_contacts", alliance
        ),
    }
    return render(request, "stakeholders/alliances/requests.html", context)


# The coordinator's decisions, by the word in the URL.
DECISIONS = {
    "approve": MembershipStatus.APPROVED,
    "decline": MembershipStatus.DECLINED,
    "remove": MembershipStatus.REMOVED,
}
DECIDED_MESSAGES = {
    MembershipStatus.APPROVED: gettext_lazy("%(organization)s is now a member of the alliance."),
    MembershipStatus.DECLINED: gettext_lazy("The request of %(organization)s has been declined."),
    MembershipStatus.REMOVED: gettext_lazy("%(organization)s has been removed from the alliance."),
}


@login_required
def membership_decide(request: HttpRequest, code: str, pk: int, decision: str) -> HttpResponse:
    alliance = alliance_for_coordinator(request.user, code)
    status = DECISIONS.get(decision)
    if status is None:
        raise Http404("No such decision.")
    membership = get_object_or_404(alliance.memberships.select_related("organization"), pk=pk)
    queue = redirect("stakeholders:alliance_requests", code=alliance.country.slug)
    if request.method == "POST":
        form = DecisionForm(request.POST, decision=status)
        if form.is_valid():
            try:
                services.membership_decide(
                    membership=membership,
                    actor=request.user,
                    decision=status,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    str(DECIDED_MESSAGES[status]) % {"organization": membership.organization.name},
                )
            return queue
    else:
        if membership.status not in services.MEMBERSHIP_TRANSITIONS[status]:
            messages.info(
                request,
                _("This request is already %(status)s.")
                % {"status": membership.get_status_display().lower()},
            )
            return queue
        form = DecisionForm(decision=status)
    return render(
        request,
        "stakeholders/alliances/decide.html",
        {"alliance": alliance, "membership": membership, "decision": decision, "form": form},
    )


# --- Member contacts (recorded) ----------------------------------------------------------


def member_contacts(alliance: Alliance) -> QuerySet[AllianceMembership]:
    """Approved members with their contact address and their admins' names and emails."""
    admins = (
        OrganizationMember.objects.filter(role=MemberRole.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return (
        alliance.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("organization")
        .prefetch_related(Prefetch("organization__members", queryset=admins, to_attr="admins"))
        .order_by("organization__name")
    )


def alliance_for_contacts(user: User, code: str) -> Alliance:
    alliance = alliance_for(user, code)
    if not user.has_perm("stakeholders.view_alliance_member_contacts", alliance):
        raise Http404("No alliance in this country.")
    return alliance


@login_required
def alliance_contacts(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for_contacts(request.user, code)
    memberships = list(member_contacts(alliance))
    audit_record(
        actor=request.user,
        action="alliance.member_contacts_viewed",
        target=alliance,
        sensitive=True,
        organizations=len(memberships),
    )
    return render(
        request,
        "stakeholders/alliances/contacts.html",
        {"alliance": alliance, "memberships": memberships},
    )


@login_required
def alliance_members_export(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for_contacts(request.user, code)
    memberships = list(member_contacts(alliance))
    audit_record(
        actor=request.user,
        action="alliance.member_contacts_exported",
        target=alliance,
        sensitive=True,
        organizations=len(memberships),
    )
    filename = f"alliance-{alliance.country.slug}-members-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Organization"),
            _("Acronym"),
            _("Kind"),
            _("City"),
            _("Website"),
            _("Organization contact email"),
            _("Admin"),
            _("Admin email"),
            _("Member since"),
        ]
    )
    for membership in memberships:
        organization = membership.organization
        since = membership.decided_at.date().isoformat() if membership.decided_at else ""
        for admin in organization.admins or [None]:
            writer.writerow(
                csv_cell(value)
                for value in [
                    organization.name,
                    organization.acronym,
                    organization.get_kind_display(),
                    organization.city,
                    organization.website,
                    organization.contact_email,
                    admin.user.public_name if admin else "",
                    admin.user.email if admin else "",
                    since,
                ]
            )
    return response


# --- Administration by CSU staff ---------------------------------------------------------


def alliance_for_staff(user: User, code: str) -> Alliance:
    alliance = alliance_for(user, code)
    if not user.has_perm("stakeholders.manage_alliance", alliance):
        raise Http404("No alliance in this country.")
    return alliance


@login_required
def alliance_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("stakeholders.manage_alliance"):
        raise Http404("No such page.")
    form = AllianceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            alliance = form.save()
            audit_record(actor=request.user, action="alliance.created", target=alliance)
        messages.success(request, _("The alliance has been created. Add its coordinators below."))
        return redirect("stakeholders:alliance_manage", code=alliance.country.slug)
    return render(request, "stakeholders/alliances/create.html", {"form": form})


def render_manage(
    request: HttpRequest,
    alliance: Alliance,
    form: AllianceForm | None = None,
    coordinator_form: CoordinatorForm | None = None,
) -> HttpResponse:
    coordinators = list(alliance.coordinators.order_by("full_name", "email"))
    # The page lists the coordinators with their email addresses.
    audit_record(
        actor=request.user,
        action="alliance.coordinators_viewed",
        target=alliance,
        sensitive=True,
        people=len(coordinators),
    )
    return render(
        request,
        "stakeholders/alliances/manage.html",
        {
            "alliance": alliance,
            "form": form or AllianceForm(instance=alliance),
            "coordinator_form": coordinator_form or CoordinatorForm(alliance=alliance),
            "coordinators": coordinators,
        },
    )


@login_required
def alliance_manage(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for_staff(request.user, code)
    if request.method != "POST":
        return render_manage(request, alliance)
    form = AllianceForm(request.POST, instance=alliance)
    if not form.is_valid():
        return render_manage(request, alliance, form=form)
    if form.has_changed():
        with transaction.atomic():
            form.save()
            audit_record(
                actor=request.user,
                action="alliance.updated",
                target=alliance,
                fields=form.changed_data,
            )
        messages.success(request, _("The alliance has been saved."))
    else:
        messages.info(request, _("Nothing has changed."))
    return redirect("stakeholders:alliance_manage", code=alliance.country.slug)


@login_required
@require_POST
def alliance_coordinator_add(request: HttpRequest, code: str) -> HttpResponse:
    alliance = alliance_for_staff(request.user, code)
    form = CoordinatorForm(request.POST, alliance=alliance)
    if not form.is_valid():
        return render_manage(request, alliance, coordinator_form=form)
    person = form.cleaned_data["user"]
    try:
        services.alliance_coordinator_add(alliance=alliance, person=person, actor=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return render_manage(request, alliance, coordinator_form=form)
    messages.success(
        request, _("%(name)s now coordinates the alliance.") % {"name": person.public_name}
    )
    return redirect("stakeholders:alliance_manage", code=alliance.country.slug)


@login_required
def alliance_coordinator_remove(request: HttpRequest, code: str, user_pk: int) -> HttpResponse:
    alliance = alliance_for_staff(request.user, code)
    person = get_object_or_404(alliance.coordinators.all(), pk=user_pk)
    if request.method == "POST":
        services.alliance_coordinator_remove(alliance=alliance, person=person, actor=request.user)
        messages.success(
            request,
            _("%(name)s no longer coordinates the alliance.") % {"name": person.public_name},
        )
        return redirect("stakeholders:alliance_manage", code=alliance.country.slug)
    return render(
        request,
        "stakeholders/alliances/coordinator_remove.html",
        {"alliance": alliance, "person": person},
    )
