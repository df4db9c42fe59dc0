"""How long the portal keeps what it no longer needs, enforced every night.

docs/retention.md is the policy in words; the periods are settings (``RETENTION_*``). Each
step is one or a few set-based queries, safe to repeat: running twice in a row changes
nothing the second time. Celery beat runs ``enforce_retention`` daily; without beat, run
``manage.py enforce_retention`` from cron.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from notifications.models import Notification, NotificationStatus
from stakeholders.models import (
    AllianceMembership,
    Invitation,
    MembershipStatus,
    Organization,
    OrganizationStatus,
)
from stakeholders.services import invitation_max_age

from .sessions import session_model

# Audit entries that prove an erasure happened are kept beyond the audit period: they hold
# no personal data (the person is a pseudonym) and answer "was my account deleted?".
KEPT_AUDIT_ACTIONS = ("privacy.account_deleted",)
BATCH_SIZE = 1000


@dataclass
class RetentionReport:
    rejected_organizations_deleted: int = 0
    membership_requests_anonymized: int = 0
    notification_bodies_purged: int = 0
    invitations_deleted: int = 0
    audit_entries_deleted: int = 0
    expired_sessions_deleted: int = 0


def _days_ago(now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def rejected_organizations_delete(*, now: datetime.datetime) -> int:
    """Organizations rejected at vetting, once the period for a reconsideration is over.
    An organization something else still points to (PROTECT) is left alone."""
    cutoff = _days_ago(now, settings.RETENTION_REJECTED_ORGANIZATION_DAYS)
    deleted = 0
    rejected = Organization.objects.filter(status=OrganizationStatus.REJECTED).filter(
        Q(status_changed_at__lt=cutoff) | Q(status_changed_at__isnull=True, updated_at__lt=cutoff)
    )
    for organization in rejected.iterator():
        try:
            with transaction.atomic():
                organization.delete()
        except ProtectedError:
            continue
        deleted += 1
    return deleted


def closed_membership_requests_anonymize(*, now: datetime.datetime) -> int:
    """Declined and withdrawn alliance requests keep their dates and outcome (the alliance's
    history) but lose the motivation, the note and who asked and decided."""
    cutoff = _days_ago(now, settings.RETENTION_CLOSED_MEMBERSHIP_REQUEST_DAYS)
    return (
        AllianceMembership.objects.filter(
            status__in=[MembershipStatus.DECLINED, MembershipStatus.WITHDRAWN],
            decided_at__lt=cutoff,
        )
        .filter(
            ~Q(motivation="")
            | ~Q(decision_note="")
            | Q(requested_by__isnull=False)
            | Q(decided_by__isnull=False)
        )
        .update(motivation="", decision_note="", requested_by=None, decided_by=None)
    )


def notification_bodies_purge(*, now: datetime.datetime) -> int:
    """Emails that were sent (or given up) keep their subject, recipient and dates for the
    person's own data export and for delivery questions; the bodies go."""
    cutoff = _days_ago(now, settings.RETENTION_NOTIFICATION_BODY_DAYS)
    return (
        Notification.objects.filter(
            status__in=[
                NotificationStatus.SENT,
                NotificationStatus.SKIPPED,
                NotificationStatus.FAILED,
            ],
            created_at__lt=cutoff,
        )
        .filter(~Q(body_text="") | ~Q(body_html="") | ~Q(unsubscribe_url=""))
        .update(body_text="", body_html="", unsubscribe_url="")
    )


def expired_invitations_delete(*, now: datetime.datetime) -> int:
    """Invitations whose link no longer works and that nobody accepted: they hold the
    address of someone who never joined."""
    cutoff = now - datetime.timedelta(seconds=invitation_max_age())
    return Invitation.objects.filter(accepted_at__isnull=True, created_at__lt=cutoff).delete()[0]


def audit_entries_delete(*, now: datetime.datetime) -> int:
    """Entries older than the audit period, in batches so that no lock is held for long."""
    cutoff = _days_ago(now, settings.RETENTION_AUDIT_LOG_DAYS)
    old = AuditEntry.objects.filter(created_at__lt=cutoff).exclude(action__in=KEPT_AUDIT_ACTIONS)
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH_SIZE]):
        deleted += AuditEntry.objects.filter(pk__in=ids).delete()[0]
    return deleted


def expired_sessions_delete(*, now: datetime.datetime) -> int:
    """Sessions past their expiry date: nobody can use them again, and each still says
    who signed in. (Django leaves them until ``clearsessions`` runs.)"""
    return session_model().objects.filter(expire_date__lt=now).delete()[0]


def retention_enforce(*, now: datetime.datetime | None = None) -> RetentionReport:
    """Apply every retention rule and record what was done."""
    now = now or timezone.now()
    report = RetentionReport(
        rejected_organizations_deleted=rejected_organizations_delete(now=now),
        membership_requests_anonymized=closed_membership_requests_anonymize(now=now),
        notification_bodies_purged=notification_bodies_purge(now=now),
        invitations_deleted=expired_invitations_delete(now=now),
        audit_entries_deleted=audit_entries_delete(now=now),
        expired_sessions_deleted=expired_sessions_delete(now=now),
    )
    if any(asdict(report).values()):
        audit_record(actor=None, action="retention.enforced", **asdict(report))
    return report
