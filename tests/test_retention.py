"""The retention rules of docs/retention.md, enforced by the nightly job."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from notifications.models import Notification, NotificationStatus
from privacy.retention import retention_enforce
from privacy.tasks import enforce_retention
from stakeholders.models import (
    AllianceMembership,
    Invitation,
    MembershipStatus,
    Organization,
    OrganizationStatus,
)
from tests.consultations.factories import ConsultationFactory, ConsultationInputFactory
from tests.stakeholders.factories import (
    AllianceMembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from vpi_portal.models import Session
from vpi_portal.sessions import SessionStore

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def rejected(days: int, **fields) -> Organization:
    return OrganizationFactory(
        status=OrganizationStatus.REJECTED, status_changed_at=days_ago(days), **fields
    )


def test_rejected_organizations_are_deleted_after_the_period(settings):
    settings.RETENTION_REJECTED_ORGANIZATION_DAYS = 180
    old, recent = rejected(181), rejected(179)
    verified = OrganizationFactory()
    report = retention_enforce(now=NOW)
    assert report.rejected_organizations_deleted == 1
    assert set(Organization.objects.values_list("pk", flat=True)) == {recent.pk, verified.pk}
    assert old.pk not in Organization.objects.values_list("pk", flat=True)


def test_a_rejected_organization_still_referred_to_is_kept(kenya_initiative):
    organization = rejected(400, country=kenya_initiative.country)
    ConsultationInputFactory(
        consultation=ConsultationFactory(initiative=kenya_initiative), organization=organization
    )
    assert retention_enforce(now=NOW).rejected_organizations_deleted == 0
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_closed_membership_requests_lose_their_people_and_words(world, settings):
    settings.RETENTION_CLOSED_MEMBERSHIP_REQUEST_DAYS = 180
    asker = UserFactory()
    declined = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        status=MembershipStatus.DECLINED,
        requested_by=asker,
        decided_by=world["coordinator"],
        decided_at=days_ago(200),
        decision_note="Not working on organized crime.",
    )
    recent = AllianceMembershipFactory(
        alliance=world.kenya_alliance,
        status=MembershipStatus.WITHDRAWN,
        requested_by=asker,
        decided_at=days_ago(10),
    )
    approved = AllianceMembership.objects.get(organization=world.organization)
    assert retention_enforce(now=NOW).membership_requests_anonymized == 1
    declined.refresh_from_db()
    assert (declined.motivation, declined.decision_note) == ("", "")
    assert declined.requested_by is None
    assert declined.decided_by is None
    assert declined.status == MembershipStatus.DECLINED
    recent.refresh_from_db()
    assert recent.requested_by == asker
    approved.refresh_from_db()
    assert approved.motivation


def notification(status: str, days: int, n: int) -> Notification:
    return Notification.objects.create(
        to_email="someone@example.org",
        kind="digest",
        dedupe_key=f"test:{n}",
        subject="Your weekly digest",
        body_text="Kenya: a milestone was updated.",
        body_html="<p>Kenya</p>",
        status=status,
        created_at=days_ago(days),
    )


def test_old_email_bodies_are_purged_but_subjects_stay():
    old = notification(NotificationStatus.SENT, 91, 1)
    recent = notification(NotificationStatus.SENT, 89, 2)
    pending = notification(NotificationStatus.PENDING, 120, 3)
    assert retention_enforce(now=NOW).notification_bodies_purged == 1
    old.refresh_from_db()
    assert (old.body_text, old.body_html, old.subject) == ("", "", "Your weekly digest")
    recent.refresh_from_db()
    assert recent.body_text
    pending.refresh_from_db()
    assert pending.body_text


def test_expired_invitations_are_deleted_and_accepted_ones_kept(world):
    organization = world.organization
    expired = Invitation.objects.create(organization=organization, email="late@example.org")
    revoked = Invitation.objects.create(
        organization=organization, email="no@example.org", revoked_at=days_ago(20)
    )
    accepted = Invitation.objects.create(
        organization=organization, email="yes@example.org", accepted_at=days_ago(19)
    )
    fresh = Invitation.objects.create(organization=organization, email="new@example.org")
    Invitation.objects.filter(pk__in=[expired.pk, revoked.pk, accepted.pk]).update(
        created_at=days_ago(20)
    )
    assert retention_enforce(now=NOW).invitations_deleted == 2
    assert set(Invitation.objects.values_list("pk", flat=True)) == {accepted.pk, fresh.pk}


def test_old_audit_entries_are_deleted_except_records_of_erasure(world, settings):
    settings.RETENTION_AUDIT_LOG_DAYS = 730
    old = audit_record(actor=world["staff"], action="organization.verified")
    erasure = audit_record(actor=None, action="privacy.account_deleted", person="person:abc")
    recent = audit_record(actor=world["staff"], action="organization.rejected")
    AuditEntry.objects.filter(pk__in=[old.pk, erasure.pk]).update(created_at=days_ago(731))
    report = retention_enforce(now=NOW)
    assert report.audit_entries_deleted == 1
    kept = set(AuditEntry.objects.values_list("pk", flat=True))
    assert {erasure.pk, recent.pk} <= kept
    assert old.pk not in kept


def test_expired_sessions_are_deleted_and_valid_ones_kept():
    valid, expired = SessionStore(), SessionStore()
    for store in (valid, expired):
        store["answer"] = 42
        store.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=days_ago(1))
    Session.objects.filter(session_key=valid.session_key).update(
        expire_date=NOW + datetime.timedelta(days=1)
    )
    report = retention_enforce(now=NOW)
    assert report.expired_sessions_deleted == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [valid.session_key]


def test_each_run_that_changes_something_is_recorded_and_a_second_run_changes_nothing():
    rejected(365)
    retention_enforce(now=NOW)
    entry = AuditEntry.objects.get(action="retention.enforced")
    assert entry.data["rejected_organizations_deleted"] == 1
    second = retention_enforce(now=NOW)
    assert not any(vars(second).values())
    assert AuditEntry.objects.filter(action="retention.enforced").count() == 1


def test_the_task_and_the_command_run_the_rules(capsys):
    rejected(365)
    assert enforce_retention()["rejected_organizations_deleted"] == 1
    rejected(365)
    call_command("enforce_retention")
    assert "1 rejected organization deleted" in capsys.readouterr().out


def test_beat_runs_the_retention_job_every_day(settings):
    job = settings.CELERY_BEAT_SCHEDULE["enforce-retention"]
    assert job["task"] == "privacy.tasks.enforce_retention"
