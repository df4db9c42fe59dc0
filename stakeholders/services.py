"""Every change to organizations, alliances and roles that does more than save one form.

Each service runs in one transaction, checks the state it changes (a decision that was
already taken is refused, never repeated), writes its audit entry and sends its emails
after commit. Views check permissions (stakeholders/rules.py) before calling these; the
services check the facts that permissions cannot (state, uniqueness, the last admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from countries.models import Initiative
from notifications.services import absolute_url, notify

from .models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    Theme,
    User,
)

# --- Organizations -------------------------------------------------------------------------


def staff_recipients() -> QuerySet[User]:
    return User.objects.filter(is_staff=True, is_active=True)


def organization_admins(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organization=organization, memberships__role=MemberRole.ADMIN
    )


def unique_organization_slug(name: str, country_code: str) -> str:
    base = slugify(f"{name}-{country_code}")[:200] or "organization"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_register(
    *, actor: User, themes: Iterable[Theme] = (), **fields: Any
) -> Organization:
    """A signed-in person registers an organization and becomes its first admin. It waits
    for CSU staff to verify it."""
    organization = Organization(created_by=actor, status=OrganizationStatus.PENDING, **fields)
    organization.slug = unique_organization_slug(organization.name, organization.country.code.code)
    organization.full_clean()
    organization.save()
    organization.themes.set(themes)
    OrganizationMember.objects.create(user=actor, organization=organization, role=MemberRole.ADMIN)
    audit_record(actor=actor, action="organization.registered", target=organization)
    notify(
        recipients=staff_recipients(),
        template="organization_submitted",
        context={
            "organization": organization,
            "url": absolute_url(reverse("stakeholders:vetting_queue")),
        },
    )
    return organization


# Which vetting decisions may follow which status.
VETTING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrganizationStatus.VERIFIED: (
        OrganizationStatus.PENDING,
        OrganizationStatus.MORE_INFO,
        OrganizationStatus.SUSPENDED,
    ),
    OrganizationStatus.REJECTED: (OrganizationStatus.PENDING, OrganizationStatus.MORE_INFO),
    OrganizationStatus.MORE_INFO: (OrganizationStatus.PENDING,),
    OrganizationStatus.SUSPENDED: (OrganizationStatus.VERIFIED,),
}
REASON_REQUIRED = (
    OrganizationStatus.REJECTED,
    OrganizationStatus.MORE_INFO,
    OrganizationStatus.SUSPENDED,
)


@transaction.atomic
def organization_vet(
    *, organization: Organization, actor: User, decision: str, reason: str = ""
) -> Organization:
    """CSU staff verify, reject, ask for more information or suspend (or reinstate)."""
    allowed_from = VETTING_TRANSITIONS.get(decision)
    if allowed_from is None:
        raise ValidationError(_("Unknown decision."))
    if decision in REASON_REQUIRED and not reason.strip():
        raise ValidationError(_("Give a reason: the organization's admins will read it."))
    # The conditional update is the claim: of two staff deciding at once, one wins.
    changed = Organization.objects.filter(pk=organization.pk, status__in=allowed_from).update(
        status=decision,
        status_reason=reason.strip(),
        status_changed_by=actor,
        status_changed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not changed:
        organization.refresh_from_db()
        raise ValidationError(
            _("This organization is %(status)s: that decision is no longer possible.")
            % {"status": organization.get_status_display().lower()}
        )
    previous = organization.status
    organization.refresh_from_db()
    audit_record(
        actor=actor,
        action=f"organization.{decision}",
        target=organization,
        previous=previous,
        reason=reason.strip() or None,
    )
    notify(
        recipients=organization_admins(organization),
        template="organization_decision",
        context={
            "organization": organization,
            "url": absolute_url(organization.get_absolute_url()),
        },
    )
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User, themes: Iterable[Theme] | None = None, **fields: Any
) -> Organization:
    """An admin edits the profile. An organization asked for more information goes back to
    the vetting queue."""
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    resubmitted = organization.status == OrganizationStatus.MORE_INFO
    if resubmitted:
        organization.status = OrganizationStatus.PENDING
    organization.save()
    if themes is not None:
        organization.themes.set(themes)
    audit_record(actor=actor, action="organization.updated", target=organization)
    if resubmitted:
        notify(
            recipients=staff_recipients(),
            template="organization_submitted",
            context={
                "organization": organization,
                "url": absolute_url(reverse("stakeholders:vetting_queue")),
            },
        )
    return organization


# --- People of an organization -----------------------------------------------------------


def _admin_count(organization: Organization) -> int:
    return organization.members.filter(role=MemberRole.ADMIN).count()


@transaction.atomic
def member_change_role(*, member: OrganizationMember, actor: User, role: str) -> OrganizationMember:
    # Lock the organization's admins so that two demotions at once cannot leave none.
    list(OrganizationMember.objects.select_for_update().filter(organization=member.organization_id))
    member.refresh_from_db()
    if member.role == role:
        return member
    if member.role == MemberRole.ADMIN and _admin_count(member.organization) == 1:
        raise ValidationError(
            _("An organization needs at least one admin. Make someone else admin first.")
        )
    previous, member.role = member.role, role
    member.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="organization.member_role_changed",
        target=member.organization,
        person=member.user_id,
        previous=previous,
        role=role,
    )
    return member


@transaction.atomic
def member_remove(*, member: OrganizationMember, actor: User) -> None:
    """An admin removes someone, or a person leaves (actor == member.user)."""
    list(OrganizationMember.objects.select_for_update().filter(organization=member.organization_id))
    if member.role == MemberRole.ADMIN and _admin_count(member.organization) == 1:
        raise ValidationError(
            _("The last admin cannot leave or be removed. Make someone else admin first.")
        )
    organization = member.organization
    action = (
        "organization.member_left" if member.user_id == actor.pk else "organization.member_removed"
    )
    audit_record(actor=actor, action=action, target=organization, person=member.user_id)
    member.delete()


# --- Alliance membership -------------------------------------------------------------------


def alliance_coordinators(alliance: Alliance) -> QuerySet[User]:
    return alliance.coordinators.filter(is_active=True)


@transaction.atomic
def membership_request(
    *, organization: Organization, actor: User, motivation: str
) -> AllianceMembership:
    """An admin of a verified organization asks to join its country's alliance."""
    if organization.status != OrganizationStatus.VERIFIED:
        raise ValidationError(_("Only verified organizations may ask to join an alliance."))
    try:
        alliance = Alliance.objects.get(country_id=organization.country_id)
    except Alliance.DoesNotExist:
        raise ValidationError(_("This country has no alliance yet.")) from None
    if not motivation.strip():
        raise ValidationError(_("Tell the coordinators why your organization wants to join."))
    try:
        with transaction.atomic():
            membership = AllianceMembership.objects.create(
                alliance=alliance,
                organization=organization,
                motivation=motivation.strip(),
                requested_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("Your organization already has a request or membership in this alliance.")
        ) from None
    audit_record(actor=actor, action="alliance.membership_requested", target=membership)
    url = absolute_url(
        reverse("stakeholders:alliance_detail", kwargs={"code": alliance.country.slug})
    )
    notify(
        recipients=alliance_coordinators(alliance),
        template="membership_requested",
        context={
            "membership": membership,
            "alliance": alliance,
            "organization": organization,
            "url": url,
        },
    )
    notify(
        recipients=organization_admins(organization),
        template="membership_request_received",
        context={
            "membership": membership,
            "alliance": alliance,
            "organization": organization,
            "url": url,
        },
    )
    return membership


# Which membership decisions may follow which status.
MEMBERSHIP_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MembershipStatus.APPROVED: (MembershipStatus.REQUESTED,),
    MembershipStatus.DECLINED: (MembershipStatus.REQUESTED,),
    MembershipStatus.REMOVED: (MembershipStatus.APPROVED,),
    MembershipStatus.WITHDRAWN: (MembershipStatus.REQUESTED, MembershipStatus.APPROVED),
}


@transaction.atomic
def membership_decide(
    *, membership: AllianceMembership, actor: User, decision: str, note: str = ""
) -> AllianceMembership:
    """A coordinator (or CSU staff) approves, declines or removes; an organization admin
    withdraws. A decided request is never decided again."""
    allowed_from = MEMBERSHIP_TRANSITIONS.get(decision)
    if allowed_from is None:
        raise ValidationError(_("Unknown decision."))
    if decision in (MembershipStatus.DECLINED, MembershipStatus.REMOVED) and not note.strip():
        raise ValidationError(_("Add a note: the organization will read it."))
    changed = AllianceMembership.objects.filter(pk=membership.pk, status__in=allowed_from).update(
        status=decision, decided_by=actor, decided_at=timezone.now(), decision_note=note.strip()
    )
    if not changed:
        membership.refresh_from_db()
        raise ValidationError(
            _("This request is already %(status)s.")
            % {"status": membership.get_status_display().lower()}
        )
    membership.refresh_from_db()
    audit_record(
        actor=actor,
        action=f"alliance.membership_{decision}",
        target=membership,
        note=note.strip() or None,
    )
    alliance = membership.alliance
    context = {
        "membership": membership,
        "alliance": alliance,
        "organization": membership.organization,
        "url": absolute_url(
            reverse("stakeholders:alliance_detail", kwargs={"code": alliance.country.slug})
        ),
    }
    notify(
        recipients=organization_admins(membership.organization),
        template="membership_decision",
        context=context,
    )
    if decision == MembershipStatus.WITHDRAWN:
        notify(
            recipients=alliance_coordinators(alliance),
            template="membership_decision",
            context=context,
        )
    return membership


# --- Initiative roles ------------------------------------------------------------------------


@transaction.atomic
def initiative_role_assign(
    *, initiative: Initiative, user: User, role: str, actor: User, **fields: Any
) -> InitiativeRole:
    assignment = InitiativeRole(
        initiative=initiative, user=user, role=role, assigned_by=actor, **fields
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor, action="initiative.role_assigned", target=initiative, person=user.pk, role=role
    )
    notify(
        recipients=[user],
        template="initiative_role_assigned",
        context={
            "assignment": assignment,
            "initiative": initiative,
            "url": absolute_url(initiative.get_absolute_url()),
        },
    )
    return assignment


@transaction.atomic
def initiative_role_end(*, assignment: InitiativeRole, actor: User) -> InitiativeRole:
    today = timezone.localdate()
    changed = InitiativeRole.objects.filter(pk=assignment.pk, active_until__isnull=True).update(
        active_until=max(today, assignment.active_from)
    )
    if not changed:
        raise ValidationError(_("This role has already ended."))
    assignment.refresh_from_db()
    audit_record(
        actor=actor,
        action="initiative.role_ended",
        target=assignment.initiative,
        person=assignment.user_id,
        role=assignment.role,
    )
    return assignment
