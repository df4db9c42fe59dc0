"""Organizations: the directory, registration, the profile page, its edits, and the people
of an organization (list, export, roles, removal, leaving)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.csv import csv_cell
from common.permissions import require_perm
from common.visitor_cache import cache_for_visitors

from ..filters import OrganizationFilter
from ..forms.organizations import (
    InvitationForm,
    MemberRoleForm,
    OrganizationForm,
    ReviewRequestForm,
)
from ..models import (
    AllianceMembership,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
)
from ..selectors import legal_name_for
from ..services import (
    invitation_expires_at,
    member_change_role,
    member_remove,
    open_invitations,
    organization_register,
    organization_request_review,
    organization_update,
)

PAGE_SIZE = 20


def visible_organization(request: HttpRequest, slug: str) -> Organization:
    """The organization, or a 404 for anyone who may not know it exists."""
    return get_object_or_404(
        Organization.objects.visible_to(request.user).select_related("country"), slug=slug
    )


def add_service_error(form: OrganizationForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on a field when the form has it,
    otherwise above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Directory and profile -------------------------------------------------------------------


DIRECTORY_COLUMNS = (
    "name",
    "acronym",
    "slug",
    "kind",
    "city",
    "description",
    "country__code",
)


@cache_for_visitors
def organization_list(request: HttpRequest) -> HttpResponse:
    """Verified organizations this viewer may see: searchable, filterable, paginated."""
    organizations = (
        Organization.objects.visible_to(request.user)
        .verified()
        .select_related("country")
        .prefetch_related("themes")
        # What the list shows, and not the search document or the contact details.
        .only(*DIRECTORY_COLUMNS)
    )
    filterset = OrganizationFilter(request.GET, queryset=organizations)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stakeholders/organizations/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "total": page.paginator.count,
            "searching": bool(request.GET.get("q", "").strip()),
        },
    )


@cache_for_visitors
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = visible_organization(request, slug)
    memberships = (
        AllianceMembership.objects.filter(
            organization=organization, status=MembershipStatus.APPROVED
        )
        .select_related("alliance__country")
        .order_by("alliance__name")
    )
    user = request.user
    context = {
        "organization": organization,
        "themes": organization.themes.all(),
        "memberships": memberships,
        "is_member": user.is_authenticated and organization.members.filter(user=user).exists(),
        "can_edit": user.has_perm("stakeholders.change_organization", organization),
        "can_see_people": user.has_perm("stakeholders.view_organization_people", organization),
        "can_see_contact": user.has_perm("stakeholders.view_organization_contact", organization),
        "can_vet": user.has_perm("stakeholders.vet_organization", organization),
        "can_request_membership": organization.is_verified
        and user.has_perm("stakeholders.request_alliance_membership", organization),
    }
    return render(request, "stakeholders/organizations/detail.html", context)


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "stakeholders.add_organization")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_register(
                actor=request.user,
                themes=form.cleaned_data["themes"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is registered. CSU staff will review it; you will receive an "
                    "email when they decide. Until then only its members can see it."
                )
                % {"name": organization.name},
            )
            return redirect(organization)
    return render(
        request, "stakeholders/organizations/form.html", {"form": form, "organization": None}
    )


@login_required
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = visible_organization(request, slug)
    require_perm(request, "stakeholders.change_organization", organization)
    was_more_info = organization.status == OrganizationStatus.MORE_INFO
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(
                organization=organization,
                actor=request.user,
                themes=form.cleaned_data["themes"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if was_more_info:
                messages.success(
                    request,
                    _("The profile is saved and has gone back to CSU staff for review."),
                )
            else:
                messages.success(request, _("The profile is saved."))
            return redirect(organization)
    return render(
        request,
        "stakeholders/organizations/form.html",
        {"form": form, "organization": organization},
    )


@login_required
def organization_mine(request: HttpRequest) -> HttpResponse:
    """The organizations the person belongs to, in any state, with their role."""
    memberships = (
        OrganizationMember.objects.filter(user=request.user)
        .select_related("organization__country")
        .order_by("organization__name")
    )
    return render(request, "stakeholders/organizations/mine.html", {"memberships": memberships})


# --- People ----------------------------------------------------------------------------------


def organization_members(organization: Organization):
    # "admin" sorts before "member": admins first.
    return organization.members.select_related("user").order_by("role", "user__full_name")


def people_organization(request: HttpRequest, slug: str, perm: str) -> Organization:
    """For people pages: visitors sign in first; then 404 if invisible, 403 if not allowed."""
    organization = visible_organization(request, slug)
    require_perm(request, perm, organization)
    return organization


@login_required
def organization_people(request: HttpRequest, slug: str) -> HttpResponse:
    organization = people_organization(request, slug, "stakeholders.view_organization_people")
    members = list(organization_members(organization))
    show_contact = request.user.has_perm("stakeholders.view_organization_contact", organization)
    can_manage = request.user.has_perm("stakeholders.manage_organization_people", organization)
    # The organization's admins and staff reach everyone; an alliance coordinator reaches an
    # organization through its admins only (the design's policy table).
    for member in members:
        member.show_email = show_contact and (can_manage or member.is_admin)
    if show_contact:
        audit_record(
            actor=request.user,
            action="organization.people_viewed",
            target=organization,
            sensitive=True,
            people=len(members),
        )
    invitations = []
    if can_manage:
        invitations = [
            {"invitation": invitation, "expires_at": invitation_expires_at(invitation)}
            for invitation in open_invitations(organization).select_related("invited_by")
        ]
    return render(
        request,
        "stakeholders/organizations/people.html",
        {
            "organization": organization,
            "members": members,
            "show_contact": show_contact,
            "can_manage": can_manage,
            "invitations": invitations,
            "invitation_form": InvitationForm() if can_manage else None,
            "own_membership": next((m for m in members if m.user_id == request.user.pk), None),
        },
    )


@login_required
def organization_people_export(request: HttpRequest, slug: str) -> HttpResponse:
    organization = people_organization(request, slug, "stakeholders.manage_organization_people")
    members = list(organization_members(organization))
    audit_record(
        actor=request.user,
        action="organization.people_exported",
        target=organization,
        sensitive=True,
        people=len(members),
    )
    filename = f"{slugify(organization.name) or 'organization'}-people-{timezone.localdate()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    # People are named as the page names them (their pseudonym, when they chose one); the
    # legal name behind it only for the roles the policy names (SECURITY.md).
    writer.writerow([_("Name"), _("Legal name"), _("Email"), _("Role"), _("Joined")])
    for member in members:
        writer.writerow(
            csv_cell(value)
            for value in (
                member.user.public_name,
                legal_name_for(request.user, member.user),
                member.user.email,
                member.get_role_display(),
                timezone.localtime(member.joined_at).date().isoformat(),
            )
        )
    return response


def organization_member(organization: Organization, member_id: int) -> OrganizationMember:
    return get_object_or_404(
        OrganizationMember.objects.select_related("user", "organization"),
        pk=member_id,
        organization=organization,
    )


@login_required
def organization_member_role(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """Change someone's role; the page itself is the confirmation step."""
    organization = people_organization(request, slug, "stakeholders.manage_organization_people")
    member = organization_member(organization, member_id)
    form = MemberRoleForm(request.POST or None, initial={"role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            member_change_role(member=member, actor=request.user, role=form.cleaned_data["role"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": member.user.public_name, "role": member.get_role_display().lower()},
            )
        return redirect("stakeholders:organization_people", slug=organization.slug)
    return render(
        request,
        "stakeholders/organizations/member_role.html",
        {"organization": organization, "member": member, "form": form},
    )


@login_required
def organization_member_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    organization = people_organization(request, slug, "stakeholders.manage_organization_people")
    member = organization_member(organization, member_id)
    if member.user_id == request.user.pk:
        return redirect("stakeholders:organization_leave", slug=organization.slug)
    if request.method == "POST":
        try:
            member_remove(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is no longer a member of %(organization)s.")
                % {"name": member.user.public_name, "organization": organization.name},
            )
        return redirect("stakeholders:organization_people", slug=organization.slug)
    return render(
        request,
        "stakeholders/organizations/member_remove.html",
        {"organization": organization, "member": member},
    )


@login_required
def organization_review_request(request: HttpRequest, slug: str) -> HttpResponse:
    """An admin of a rejected organization asks CSU staff for a new review."""
    organization = visible_organization(request, slug)
    require_perm(request, "stakeholders.change_organization", organization)
    form = ReviewRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization_request_review(
                organization=organization, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The organization is back in the queue: CSU staff will review it again.")
            )
            return redirect(organization)
    return render(
        request,
        "stakeholders/organizations/review_request.html",
        {"form": form, "organization": organization},
    )


@login_required
def organization_leave(request: HttpRequest, slug: str) -> HttpResponse:
    organization = visible_organization(request, slug)
    member = OrganizationMember.objects.filter(organization=organization, user=request.user).first()
    if member is None:
        raise Http404("Not a member.")
    if request.method == "POST":
        try:
            member_remove(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(organization)
        messages.success(
            request, _("You have left %(organization)s.") % {"organization": organization.name}
        )
        return redirect("stakeholders:organization_mine")
    return render(
        request,
        "stakeholders/organizations/leave.html",
        {"organization": organization, "member": member},
    )
