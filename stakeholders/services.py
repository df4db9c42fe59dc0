"""Every change to organizations, alliances and roles that does more than save one form.

Each service runs in one transaction, checks the state it changes (a decision that was
already taken is refused, never repeated), writes its audit entry and sends its emails
after commit. Views check permissions (stakeholders/rules.py) before calling these; the
services check the facts that permissions cannot (state, uniqueness, the last admin).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.visitor_cache import content_changed
from countries.models import Initiative
from notifications.models import Category, Notification
from notifications.services import absolute_url, notify, outbox_write, render_email

from .models import (
    Alliance,
    AllianceMembership,
    InitiativeRole,
    Invitation,
    MemberRole,
    MembershipStatus,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    ParticipationDeclaration,
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
    organization.slug = unique_organization_slug(organization.name, str(organization.country.code))
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
    # Staff undo a rejection: the organization is reviewed again.
    OrganizationStatus.PENDING: (OrganizationStatus.REJECTED,),
}
REASON_REQUIRED = (
    OrganizationStatus.REJECTED,
    OrganizationStatus.MORE_INFO,
    OrganizationStatus.SUSPENDED,
    OrganizationStatus.PENDING,
)


@transaction.atomic
def organization_vet(
    *,
    organization: Organization,
    actor: User,
    decision: str,
    reason: str = "",
    expected_status: str | None = None,
) -> Organization:
    """CSU staff verify, reject, ask for more information or suspend (or reinstate).

    ``expected_status`` is the status the deciding person saw: when another staff member
    decided in the meantime, the decision is refused rather than laid over theirs.
    """
    allowed_from = VETTING_TRANSITIONS.get(decision)
    if allowed_from is None:
        raise ValidationError(_("Unknown decision."))
    if expected_status is not None:
        allowed_from = tuple(status for status in allowed_from if status == expected_status)
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
    content_changed()
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


@transaction.atomic
def organization_request_review(
    *, organization: Organization, actor: User, note: str
) -> Organization:
    """An admin of a rejected organization asks CSU staff to review it again, saying what
    answers the reason given. The organization goes back to the vetting queue."""
    note = note.strip()
    if not note:
        raise ValidationError(_("Say what has changed, or what answers the reason CSU staff gave."))
    changed = Organization.objects.filter(
        pk=organization.pk, status=OrganizationStatus.REJECTED
    ).update(status=OrganizationStatus.PENDING, updated_at=timezone.now())
    if not changed:
        organization.refresh_from_db()
        raise ValidationError(
            _(
                "This organization is %(status)s: only a rejected organization asks for a "
                "new review."
            )
            % {"status": organization.get_status_display().lower()}
        )
    content_changed()
    organization.refresh_from_db()
    audit_record(
        actor=actor, action="organization.review_requested", target=organization, reason=note
    )
    notify(
        recipients=staff_recipients(),
        template="organization_submitted",
        context={
            "organization": organization,
            "note": note,
            "url": absolute_url(reverse("stakeholders:vetting_detail", args=[organization.slug])),
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
    queue = absolute_url(
        reverse("stakeholders:alliance_requests", kwargs={"code": alliance.country.slug})
    )
    notify(
        recipients=alliance_coordinators(alliance),
        template="membership_requested",
        context={
            "membership": membership,
            "alliance": alliance,
            "organization": organization,
            "url": queue,
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
    content_changed()
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
def alliance_coordinator_add(*, alliance: Alliance, person: User, actor: User) -> None:
    """CSU staff name a coordinator of the alliance, who is told by email."""
    if alliance.coordinators.filter(pk=person.pk).exists():
        raise ValidationError(_("This person already coordinates the alliance."))
    alliance.coordinators.add(person)
    audit_record(
        actor=actor, action="alliance.coordinator_added", target=alliance, person=person.pk
    )
    notify(
        recipients=[person],
        template="coordinator_appointed",
        context={"alliance": alliance, "url": absolute_url(alliance.get_absolute_url())},
    )


@transaction.atomic
def alliance_coordinator_remove(*, alliance: Alliance, person: User, actor: User) -> None:
    alliance.coordinators.remove(person)
    audit_record(
        actor=actor, action="alliance.coordinator_removed", target=alliance, person=person.pk
    )


@transaction.atomic
def initiative_role_end(*, assignment: InitiativeRole, actor: User) -> InitiativeRole:
    today = timezone.localdate()
    changed = InitiativeRole.objects.filter(pk=assignment.pk, active_until__isnull=True).update(
        active_until=max(today, assignment.active_from)
    )
    content_changed()
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


# --- Invitations -----------------------------------------------------------------------------

INVITATION_SALT = "stakeholders.invitation"
# Two weeks, unless settings.ORGANIZATION_INVITATION_MAX_AGE (seconds) says otherwise.
DEFAULT_INVITATION_MAX_AGE = 14 * 24 * 60 * 60


def invitation_max_age() -> int:
    return int(getattr(settings, "ORGANIZATION_INVITATION_MAX_AGE", DEFAULT_INVITATION_MAX_AGE))


def invitation_expires_at(invitation: Invitation) -> datetime:
    return invitation.created_at + timedelta(seconds=invitation_max_age())


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    """Invitations neither accepted, revoked nor expired."""
    since = timezone.now() - timedelta(seconds=invitation_max_age())
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=since
    )


def invitation_token(invitation: Invitation) -> str:
    """The signed part of the link in the invitation email. It expires with the invitation
    (the signature's timestamp is checked against the maximum age)."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link stands for, or a ValidationError that tells the person why not."""
    try:
        pk = signing.TimestampSigner(salt=INVITATION_SALT).unsign(
            token, max_age=invitation_max_age()
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This invitation has expired. Ask the organization's admins to invite you again."),
            code="expired",
        ) from None
    except signing.BadSignature:
        pk = None
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(pk=pk).first()
        if pk and pk.isdigit()
        else None
    )
    if invitation is None:
        raise ValidationError(
            _(
                "This invitation link is not valid. Check that you opened the whole link from "
                "the email, or ask the organization's admins to invite you again."
            ),
            code="invalid",
        )
    return invitation


def _invitation_closed_message(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    return _("This invitation was withdrawn by the organization's admins.")


def _invitation_email(*, invitation: Invitation, actor: User) -> None:
    """Write the invitation email to the outbox. The invitee may have no account yet, so the
    row is addressed to the email address (and linked to the account when there is one);
    someone without an account is written to in the inviter's language, the best guess."""
    account = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    reader = account or User(email=invitation.email, preferred_language=actor.preferred_language)
    context = {
        "organization": invitation.organization,
        "inviter": actor.public_name,
        "role": invitation.get_role_display(),
        "expires_at": invitation_expires_at(invitation),
        "url": absolute_url(
            reverse(
                "stakeholders:invitation_accept", kwargs={"token": invitation_token(invitation)}
            )
        ),
    }
    # An invitation answers someone's deliberate act, like a sign-up email: it belongs to
    # the account category, which carries no unsubscribe link (there may be no account).
    outbox_write(
        [
            Notification(
                recipient=account,
                to_email=invitation.email,
                kind="invitation",
                category=Category.ACCOUNT,
                dedupe_key=f"invitation:{invitation.pk}",
                **render_email(
                    recipient=reader,
                    template="invitation",
                    context=context,
                    category=Category.ACCOUNT,
                ),
            )
        ]
    )


@transaction.atomic
def invitation_create(
    *, organization: Organization, actor: User, email: str, role: str = MemberRole.MEMBER
) -> Invitation:
    """An admin invites a colleague by email. The email carries a signed link that works
    whether or not the colleague already has an account."""
    email = User.objects.normalize_email(email.strip())
    if role not in MemberRole.values:
        raise ValidationError(_("Unknown role."))
    if organization.members.filter(user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of this organization.") % {"email": email}
        )
    if open_invitations(organization).filter(email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s has already been invited. Revoke that invitation first to send a new one.")
            % {"email": email}
        )
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, invited_by=actor
    )
    audit_record(
        actor=actor,
        action="organization.member_invited",
        target=organization,
        invitation=invitation.pk,
        role=role,
    )
    _invitation_email(invitation=invitation, actor=actor)
    return invitation


def invitation_check_recipient(*, invitation: Invitation, user: User) -> None:
    """Only the person who owns the invited address, confirmed, may accept."""
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s. Sign in with that address, or add it "
                "to your account and confirm it, to accept."
            )
            % {"email": invitation.email},
            code="wrong_account",
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> OrganizationMember:
    """The invited person joins the organization with the role they were invited to."""
    invitation.refresh_from_db()
    if not invitation.is_open:
        raise ValidationError(_invitation_closed_message(invitation), code="closed")
    invitation_check_recipient(invitation=invitation, user=user)
    organization = invitation.organization
    if organization.members.filter(user=user).exists():
        raise ValidationError(_("You are already a member of this organization."), code="member")
    # The conditional update is the claim: a link opened twice at once is accepted once.
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        invitation.refresh_from_db()
        raise ValidationError(_invitation_closed_message(invitation), code="closed")
    try:
        with transaction.atomic():
            member = OrganizationMember.objects.create(
                user=user, organization=organization, role=invitation.role
            )
    except IntegrityError:
        raise ValidationError(
            _("You are already a member of this organization."), code="member"
        ) from None
    invitation.refresh_from_db()
    audit_record(
        actor=user,
        action="organization.invitation_accepted",
        target=organization,
        invitation=invitation.pk,
        role=invitation.role,
    )
    notify(
        recipients=organization_admins(organization).exclude(pk=user.pk),
        template="invitation_accepted",
        context={
            "organization": organization,
            "person": user.public_name,
            "role": member.get_role_display(),
            "url": absolute_url(
                reverse("stakeholders:organization_people", kwargs={"slug": organization.slug})
            ),
        },
    )
    return member


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    changed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation.refresh_from_db()
    if not changed:
        raise ValidationError(
            _("This invitation is no longer open: it was accepted or revoked already.")
        )
    audit_record(
        actor=actor,
        action="organization.invitation_revoked",
        target=invitation.organization,
        invitation=invitation.pk,
    )
    return invitation


# --- Participation figures -----------------------------------------------------------------


@transaction.atomic
def participation_declare(
    *,
    initiative: Initiative,
    actor: User,
    government_experts: int,
    organizations: int,
    as_of: Any,
    source: str,
) -> ParticipationDeclaration:
    """Record the initiative's own count of who takes part; the latest is the one shown."""
    declaration = ParticipationDeclaration(
        initiative=initiative,
        government_experts=government_experts,
        organizations=organizations,
        as_of=as_of,
        source=(source or "").strip(),
        declared_by=actor,
    )
    declaration.full_clean()
    declaration.save()
    audit_record(
        actor=actor,
        action="initiative.participation_declared",
        target=initiative,
        government_experts=government_experts,
        organizations=organizations,
        as_of=as_of.isoformat(),
    )
    content_changed()
    return declaration
