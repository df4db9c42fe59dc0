import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import transaction
from django.utils import timezone

from notifications.models import Category, Notification, NotificationStatus, Preferences
from notifications.services import (
    notification_claim,
    notifications_deliver,
    notifications_retry,
    notifications_sweep,
    notify,
    unsubscribe_token,
)
from tests.notifications.factories import NotificationFactory
from tests.stakeholders.factories import UserFactory

pytestmark = pytest.mark.django_db


def send_role_email(recipients, **kwargs):
    """Any portal email will do: the initiative role one needs only an assignment."""
    from tests.stakeholders.factories import InitiativeRoleFactory

    assignment = InitiativeRoleFactory()
    return notify(
        recipients=recipients,
        template="initiative_role_assigned",
        context={"assignment": assignment, "initiative": assignment.initiative, "url": "http://x/"},
        **kwargs,
    )


def test_notify_writes_one_row_per_recipient_and_delivers_after_commit(outbox_delivery):
    alice, bob = UserFactory(), UserFactory()
    with outbox_delivery():
        send_role_email([alice, bob, alice])
        assert Notification.objects.count() == 2
        assert mail.outbox == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    # Each message goes to one person only: nobody sees another recipient.
    assert all(
        len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox
    )


def test_a_rolled_back_change_sends_nothing(outbox_delivery):
    person = UserFactory()

    def change_that_fails():
        with transaction.atomic():
            send_role_email([person])
            raise RuntimeError("the change failed")

    with outbox_delivery(), pytest.raises(RuntimeError):
        change_that_fails()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_dedupe_key_is_written_once(outbox_delivery):
    person = UserFactory()
    with outbox_delivery():
        send_role_email([person], dedupe_key="reminder:event-1:24h")
        send_role_email([person], dedupe_key="reminder:event-1:24h")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_writers_racing_past_the_check_still_write_a_key_once(outbox_delivery):
    """Both read "not written yet" before either inserts: the database's constraint is what
    keeps the second row out."""
    person = UserFactory()
    with outbox_delivery():
        send_role_email([person], dedupe_key="reminder:event-1:24h")
    with (
        mock.patch(
            "notifications.services.Notification.objects.filter",
            return_value=Notification.objects.none(),
        ),
        outbox_delivery(),
    ):
        send_role_email([person], dedupe_key="reminder:event-1:24h")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_emails_carry_one_click_unsubscribe_headers_and_links(outbox_delivery):
    person = UserFactory()
    with outbox_delivery():
        send_role_email([person])
    message = mail.outbox[0]
    link = Notification.objects.get().unsubscribe_url
    assert "/notifications/unsubscribe/" in link
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    html = message.alternatives[0][0]
    assert link.replace("&", "&amp;") in html or link in html
    assert "Email preferences" in message.body


def test_an_unsubscribed_person_gets_no_activity_email(outbox_delivery):
    person = UserFactory()
    Preferences.objects.create(user=person, activity_emails=False)
    with outbox_delivery():
        send_role_email([person])
    # Kept in the portal only: no email is sent.
    assert mail.outbox == []
    assert list(Notification.objects.values_list("status", flat=True)) == ["skipped"]


def test_one_click_unsubscribe_needs_no_session_or_csrf(client):
    person = UserFactory()
    token = unsubscribe_token(user_id=person.pk, category=Category.REMINDERS)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You will no longer receive these emails" in response.content.decode()
    assert Preferences.objects.get(user=person).event_reminders is False
    assert Preferences.objects.get(user=person).activity_emails is True


def test_unsubscribe_link_asks_before_changing_anything(client):
    person = UserFactory()
    token = unsubscribe_token(user_id=person.pk, category=Category.DIGESTS)
    response = client.get(f"/notifications/unsubscribe/{token}/")
    assert "Stop receiving these emails" in response.content.decode()
    assert not Preferences.objects.filter(user=person).exists()
    client.post(f"/notifications/unsubscribe/{token}/")
    assert Preferences.objects.get(user=person).digest_frequency == "off"


def test_a_tampered_unsubscribe_link_changes_nothing_and_says_so(client):
    person = UserFactory()
    token = unsubscribe_token(user_id=person.pk, category=Category.ACTIVITY)
    response = client.post(f"/notifications/unsubscribe/{token[:-2]}xx/")
    assert response.status_code == 400
    assert "not valid. Nothing was changed" in response.content.decode()
    assert not Preferences.objects.filter(user=person).exists()


def test_an_expired_unsubscribe_link_changes_nothing_and_says_so(client, settings):
    person = UserFactory()
    token = unsubscribe_token(user_id=person.pk, category=Category.ACTIVITY)
    settings.NOTIFICATION_UNSUBSCRIBE_MAX_AGE = -1
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "has expired. Nothing was changed" in response.content.decode()
    assert not Preferences.objects.filter(user=person).exists()


def test_preferences_page_saves_digest_frequency_reminders_and_countries(user_client, user, kenya):
    response = user_client.post(
        "/accounts/notifications/",
        {"activity_emails": "on", "digest_frequency": "daily", "countries": [kenya.pk]},
        follow=True,
    )
    assert "Your email preferences have been saved." in response.content.decode()
    preferences = Preferences.objects.get(user=user)
    assert preferences.digest_frequency == "daily"
    assert preferences.event_reminders is False
    assert list(preferences.countries.all()) == [kenya]


def test_preferences_page_needs_a_signed_in_person(client, db):
    assert client.get("/accounts/notifications/").status_code == 302


def test_email_is_rendered_in_the_recipients_time_zone():
    from notifications.services import render_email

    person = UserFactory(time_zone="Africa/Nairobi")
    current_zone = {"side_effect": lambda *a, **k: str(timezone.get_current_timezone())}
    with (
        mock.patch("notifications.services.render_to_string", **current_zone),
        mock.patch("notifications.services.render_text", **current_zone),
    ):
        rendered = render_email(recipient=person, template="x", context={})
    assert rendered["body_text"] == "Africa/Nairobi"


class FailingConnection:
    """An SMTP connection that fails the way a server does."""

    def __init__(self, error):
        self.error = error

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise self.error


def outbox_row(**fields):
    return NotificationFactory(**fields)


def test_a_transient_failure_leaves_the_row_pending_with_backoff(settings):
    row = outbox_row()
    with mock.patch(
        "notifications.services.get_connection",
        return_value=FailingConnection(smtplib.SMTPServerDisconnected("gone")),
    ):
        counts = notifications_deliver(ids=[row.pk])
    row.refresh_from_db()
    assert counts["retry"] == 1
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=30)


def test_after_the_last_attempt_the_row_is_failed_for_staff_to_see(settings, staff_client):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    row = outbox_row(attempts=1)
    with mock.patch(
        "notifications.services.get_connection",
        return_value=FailingConnection(ConnectionRefusedError("refused")),
    ):
        notifications_deliver(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "refused" in row.last_error
    page = staff_client.get("/admin/notifications/notification/", {"status": "failed"})
    assert row.to_email in page.content.decode()


def test_a_refusal_by_the_server_fails_at_once():
    row = outbox_row()
    error = smtplib.SMTPRecipientsRefused({row.to_email: (550, b"no such user")})
    with mock.patch("notifications.services.get_connection", return_value=FailingConnection(error)):
        notifications_deliver(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 1


def test_staff_retry_failed_rows_from_the_admin(staff_client, outbox_delivery):
    row = outbox_row(status=NotificationStatus.FAILED, attempts=6, last_error="boom")
    with outbox_delivery():
        response = staff_client.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [row.pk]},
            follow=True,
        )
    assert "1 email queued again." in response.content.decode()
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    assert notifications_retry(ids=[row.pk]) == 0


def test_a_row_is_sent_once_even_if_delivered_twice():
    row = outbox_row()
    assert notifications_deliver(ids=[row.pk, row.pk]) == {
        "sent": 1,
        "retry": 0,
        "failed": 0,
        "skipped": 1,
    }
    assert len(mail.outbox) == 1


def test_sweep_releases_claims_of_dead_workers_and_delivers_due_rows(settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 60
    stale = outbox_row(
        status=NotificationStatus.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=5),
        attempts=1,
    )
    fresh_claim = outbox_row(
        status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    waiting = outbox_row(next_attempt_at=timezone.now() + timedelta(hours=1))
    due = outbox_row()
    counts = notifications_sweep()
    assert counts == {"released": 1, "enqueued": 2}
    statuses = {row.pk: row.status for row in Notification.objects.all()}
    assert statuses[stale.pk] == NotificationStatus.SENT
    assert statuses[due.pk] == NotificationStatus.SENT
    assert statuses[fresh_claim.pk] == NotificationStatus.SENDING
    assert statuses[waiting.pk] == NotificationStatus.PENDING


def test_a_request_carries_on_when_the_broker_is_down(client, settings, outbox_delivery):
    from vpi_portal.celery import app

    app.conf.task_always_eager = False
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    app._pool = None
    try:
        with outbox_delivery():
            response = client.post(
                "/accounts/signup/",
                {
                    "full_name": "Broker Down",
                    "email": "down@example.org",
                    "password1": "a-long-and-unusual-passphrase",
                    "password2": "a-long-and-unusual-passphrase",
                },
            )
    finally:
        app.conf.broker_url = original
        app._pool = None
    assert response.status_code == 302
    row = Notification.objects.get(to_email="down@example.org")
    assert row.status == NotificationStatus.PENDING
    assert mail.outbox == []


def test_signing_salt_is_specific_to_unsubscribe_links(client):
    person = UserFactory()
    other = signing.dumps({"u": person.pk, "c": "activity"})
    assert client.post(f"/notifications/unsubscribe/{other}/").status_code == 400


def test_a_claim_takes_a_due_row_once_and_returns_what_sending_needs():
    row = outbox_row(attempts=2)
    claimed = notification_claim(notification_id=row.pk, now=timezone.now())
    assert (claimed.pk, claimed.to_email, claimed.subject, claimed.body_html) == (
        row.pk,
        row.to_email,
        row.subject,
        row.body_html,
    )
    assert claimed.attempts == 3
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENDING
    assert row.attempts == 3
    assert row.claimed_at is not None
    assert notification_claim(notification_id=row.pk, now=timezone.now()) is None


def test_a_claim_leaves_rows_that_are_not_due_or_not_pending():
    later = outbox_row(next_attempt_at=timezone.now() + timedelta(minutes=5))
    sent = outbox_row(status=NotificationStatus.SENT)
    # A dead worker's claim is released by the sweep (which says delivery is unknown),
    # never taken over by another claim.
    stale = outbox_row(
        status=NotificationStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    for row in (later, sent, stale):
        assert notification_claim(notification_id=row.pk, now=timezone.now()) is None
        status = row.status
        row.refresh_from_db()
        assert (row.status, row.attempts) == (status, 0)


def test_a_row_sent_at_a_later_attempt_records_when_and_forgets_the_error():
    row = outbox_row(attempts=1, last_error="SMTPServerDisconnected: gone")
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")
    assert timezone.now() - timedelta(minutes=1) < row.sent_at <= timezone.now()
    assert len(mail.outbox) == 1
