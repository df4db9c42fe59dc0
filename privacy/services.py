"""A person's own data: everything the portal holds about them, as a download, and the
deletion of their account.

What deletion does, and why (the policy is also written for people in docs/retention.md):

- The account row is deleted, with everything that is only about the person: email
  addresses, two-factor devices, sessions, organization memberships, event registrations
  (open places are given up first, so that the waiting list moves up), notification
  preferences and the emails sent to them, their calendar feed, invitations sent to their
  addresses, ended initiative roles and co-signatures.
- What they wrote for others stays, because others answered it and the record of a
  roadmap's dialogue would not make sense without it: progress reports, assessments,
  comments and consultation inputs lose their author and show as "Former participant".
- The audit log is kept (it is the record of decisions and of access to personal data),
  but the person's name, email and id in it are replaced by a pseudonym, ``person:<hash>``:
  a keyed hash (HMAC with the portal's secret key) of the former account id. The same
  person has the same pseudonym in every entry, so an investigation can still follow one
  actor, but the pseudonym cannot be turned back into a person without the secret key and
  the deleted id.
- Some accounts cannot be deleted on the spot, because others depend on them: CSU staff,
  active focal points, alliance coordinators, and the last admin of an organization that
  has other members. The page says what to do first.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit import privacy as audit_privacy
from audit.models import AuditEntry
from audit.services import audit_record
from consultations import privacy as consultations_privacy
from consultations.models import ConsultationInput
from events import privacy as events_privacy
from events.models import OPEN_STATUSES, CalendarFeed, Registration
from events.services import registration_cancel
from groups import privacy as groups_privacy
from notifications import privacy as notifications_privacy
from notifications.models import Notification
from roadmaps import privacy as roadmaps_privacy
from roadmaps.models import (
    Assessment,
    Comment,
    Endorsement,
    MilestoneUpdate,
)
from stakeholders import privacy as stakeholders_privacy
from stakeholders.models import (
    InitiativeRole,
    Invitation,
    MemberRole,
    Organization,
    OrganizationMember,
    User,
)

from .sessions import session_model

EXPORT_FORMAT = "vpi-portal-personal-data"
EXPORT_VERSION = 1
# The salt names the module the pseudonyms were first made in: changing it would give the
# people already deleted a second pseudonym.
PSEUDONYM_SALT = "vpi_portal.privacy.person"
# Keys of audit details that hold the id of the person a decision was about.
PERSON_KEYS = ("person", "invitee")
# Rows handled per database round trip when the audit log is rewritten.
BATCH_SIZE = 500


def person_pseudonym(user_id: int) -> str:
    """The stable, non-reversible name a deleted person keeps in the audit log."""
    digest = salted_hmac(PSEUDONYM_SALT, str(user_id), algorithm="sha256").hexdigest()
    return f"person:{digest[:24]}"


# --- Export ------------------------------------------------------------------------------------

# Each app says what it holds about a person, in its own privacy.py; the download lists the
# sections in this order, and a list that two sections name is the two lists one after the
# other.
EXPORT_SECTIONS: tuple[Callable[[User], dict[str, Any]], ...] = (
    stakeholders_privacy.export_section,
    events_privacy.export_section,
    notifications_privacy.export_section,
    roadmaps_privacy.export_section,
    consultations_privacy.export_section,
    groups_privacy.export_section,
    audit_privacy.export_section,
)


def _email_addresses(user: User) -> set[str]:
    addresses = {user.email.lower()}
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return addresses


@transaction.atomic
def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything the portal holds about ``user``, as plain JSON-ready data. The export is
    recorded in the audit log as access to personal data.

    Records written by others about the person (decisions on their requests, the attendee
    lists of events) appear through the person's own rows; other people's personal data
    never does.
    """
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
    }
    for section in EXPORT_SECTIONS:
        for key, value in section(user).items():
            if isinstance(value, list) and isinstance(data.get(key), list):
                data[key].extend(value)  # a list several apps add to (responses written)
            else:
                data[key] = value
    audit_record(actor=user, action="privacy.data_exported", target=user, sensitive=True)
    return _dates_as_text(data)


def _dates_as_text(value: Any) -> Any:
    """The sections' dates and times in ISO 8601, at full precision (Django's JSON encoder
    would cut microseconds)."""
    if isinstance(value, datetime.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


# --- Deletion --------------------------------------------------------------------------------


def account_delete_blockers(*, user: User) -> list[str]:
    """Why this account cannot be deleted yet, one sentence each (empty: it can)."""
    reasons: list[str] = []
    if user.is_staff:
        reasons.append(
            _(
                "You are CSU staff. Ask another staff member to remove your staff status "
                "first, so that nothing you administer is left without someone responsible."
            )
        )
    for role in (
        InitiativeRole.objects.filter(user=user)
        .active()
        .focal_points()
        .select_related("initiative")
    ):
        reasons.append(
            _(
                "You are %(role)s of %(initiative)s. Ask CSU staff to end your role first: "
                "the initiative must not be left without its focal point unnoticed."
            )
            % {"role": role.get_role_display().lower(), "initiative": role.initiative.title}
        )
    for alliance in user.coordinated_alliances.all():
        reasons.append(
            _(
                "You coordinate %(alliance)s. Ask CSU staff to hand the coordination to "
                "someone else first."
            )
            % {"alliance": alliance.name}
        )
    reasons += groups_privacy.delete_blockers(user)
    sole_admin_of = (
        OrganizationMember.objects.filter(user=user, role=MemberRole.ADMIN)
        .annotate(
            admins=Count(
                "organization__members",
                filter=Q(organization__members__role=MemberRole.ADMIN),
                distinct=True,
            ),
            people=Count("organization__members", distinct=True),
        )
        .filter(admins=1, people__gt=1)
        .select_related("organization")
    )
    for member in sole_admin_of:
        reasons.append(
            _(
                "You are the only admin of %(organization)s, which has other members. Make "
                "one of them admin first (on the organization's people page)."
            )
            % {"organization": member.organization.name}
        )
    return reasons


def _any_address(field: str, emails: set[str]) -> Q:
    """Any of the addresses, in any case (addresses are compared case-insensitively)."""
    condition = Q(pk__in=[])
    for email in emails:
        condition |= Q(**{f"{field}__iexact": email})
    return condition


def _give_up_open_registrations(user: User) -> None:
    """Cancel places at events that have not started, so that the waiting list moves up."""
    for registration in Registration.objects.filter(
        user=user, status__in=OPEN_STATUSES, event__starts_at__gt=timezone.now()
    ):
        # An event that started in the meantime refuses: that registration is simply
        # deleted with the account.
        with contextlib.suppress(ValidationError):
            registration_cancel(registration=registration, actor=user)


def _own_targets(user: User) -> set[tuple[str, str]]:
    """The audit targets whose text names the person: their account and their rows."""
    targets = {(User._meta.label_lower, str(user.pk))}
    for queryset in (
        CalendarFeed.objects.filter(user=user),
        OrganizationMember.objects.filter(user=user),
        InitiativeRole.objects.filter(user=user),
        Registration.objects.filter(user=user),
        Endorsement.objects.filter(user=user),
    ):
        label = queryset.model._meta.label_lower
        targets.update((label, str(pk)) for pk in queryset.values_list("pk", flat=True))
    return targets


def _pseudonymize_audit_log(user: User, *, pseudonym: str, emails: set[str]) -> int:
    """Replace the person by their pseudonym wherever the audit log names them: as the
    actor, as the target, as the ``person`` of a role change, and as the login typed in a
    failed sign-in. Returns the number of entries rewritten."""
    targets = _own_targets(user)
    by_target = Q()
    for label in {label for label, _pk in targets}:
        by_target |= Q(
            target_type=label, target_id__in=[pk for other, pk in targets if other == label]
        )
    by_login = Q()
    for email in emails:
        by_login |= Q(action="auth.sign_in_failed", data__login__iexact=email)
    by_person = Q()
    for key in PERSON_KEYS:
        by_person |= Q(**{f"data__{key}": user.pk})
    entries = AuditEntry.objects.filter(Q(actor=user) | by_target | by_person | by_login)
    batch: list[AuditEntry] = []
    rewritten = 0
    for entry in entries.iterator(chunk_size=BATCH_SIZE):
        data = dict(entry.data)
        if entry.actor_id == user.pk:
            entry.actor = None
            data["actor"] = pseudonym
        for key in PERSON_KEYS:
            if data.get(key) == user.pk:
                data[key] = pseudonym
        if str(data.get("login", "")).lower() in emails:
            data["login"] = pseudonym
        if (entry.target_type, entry.target_id) in targets:
            entry.target_repr = pseudonym
            entry.target_id = ""
        entry.data = data
        batch.append(entry)
        if len(batch) >= BATCH_SIZE:
            rewritten += _save_entries(batch)
            batch = []
    return rewritten + _save_entries(batch)


def _save_entries(entries: list[AuditEntry]) -> int:
    AuditEntry.objects.bulk_update(entries, ["actor", "data", "target_repr", "target_id"])
    return len(entries)


def _end_sessions(user_id: int) -> int:
    """Delete the person's sessions. They would go with the account (CASCADE); deleted
    first so that the record can say how many there were."""
    # The engine's model has the user key; AbstractBaseSession, the type it is known by, does not.
    sessions = session_model().objects.filter(user_id=user_id)  # type: ignore[misc]
    return sessions.delete()[0]


@transaction.atomic
def account_delete(*, user: User, actor: User) -> str:
    """Delete ``user``'s account as described at the top of this module. ``actor`` is the
    person who asked: the user themself, or CSU staff acting on a request. Returns the
    pseudonym the person keeps in the audit log. Raises ValidationError (nothing changed)
    when ``account_delete_blockers`` names a reason."""
    reasons = account_delete_blockers(user=user)
    if reasons:
        raise ValidationError(reasons)
    user_id = user.pk
    by_themself = actor.pk == user_id
    pseudonym = person_pseudonym(user_id)
    emails = _email_addresses(user)
    _give_up_open_registrations(user)
    organizations = list(Organization.objects.filter(members__user=user))
    # What the person wrote for others stays, without its author.
    anonymized: dict[str, Any] = {
        "milestone_updates": MilestoneUpdate.objects.filter(author=user).update(author=None),
        "assessments": Assessment.objects.filter(author=user).update(author=None),
        "comments": Comment.objects.filter(author=user).update(author=None),
        "consultation_inputs": ConsultationInput.objects.filter(author=user).update(author=None),
        **groups_privacy.anonymize(user),
    }
    invitations = Invitation.objects.filter(
        _any_address("email", emails) | Q(accepted_by=user)
    ).delete()[0]
    notifications = Notification.objects.filter(
        _any_address("to_email", emails) | Q(recipient=user)
    ).delete()[0]
    audit_entries = _pseudonymize_audit_log(user, pseudonym=pseudonym, emails=emails)
    sessions = _end_sessions(user_id)
    # The rest goes with the account (CASCADE): email addresses, two-factor devices,
    # memberships, registrations, preferences, calendar feed, roles, co-signatures.
    user.delete()
    for organization in organizations:
        audit_record(
            actor=None,
            action="organization.member_left",
            target=organization,
            person=pseudonym,
            reason="account_deleted",
        )
    audit_record(
        actor=None if by_themself else actor,
        action="privacy.account_deleted",
        person=pseudonym,
        by_themself=by_themself,
        invitations=invitations,
        notifications=notifications,
        audit_entries=audit_entries,
        sessions=sessions,
        **anonymized,
    )
    return pseudonym
