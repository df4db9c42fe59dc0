"""Delivery over SMTP, as a worker does it: the message written straight to bytes must be
the one Django would have built."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationStatus
from notifications.services import build_message, notifications_deliver
from tests.stakeholders.factories import UserFactory
from tests.support.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    with SmtpSink() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


def outbox_row(**fields) -> Notification:
    person = UserFactory()
    values = {
        "recipient": person,
        "to_email": person.email,
        "kind": "digest",
        "dedupe_key": f"digest:weekly:2026-W01:{person.pk}",
        "subject": "[VPI Portal] Your weekly progress digest",
        "body_text": "Dear Alice,\n\n== Kenya ==\n* Referral mechanism drafted: Completed\n",
        "body_html": '<p>Dear Alice,</p>\n<ul><li><a href="http://x/m/1/">Referral</a></li>\n</ul>',
        "unsubscribe_url": "http://testserver/notifications/unsubscribe/abc/",
    }
    return Notification.objects.create(**(values | fields))


def parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def as_django_sends_it(row: Notification) -> email.message.EmailMessage:
    return parsed(build_message(row).message().as_bytes(linesep="\r\n"))


def assert_same_email(received: email.message.EmailMessage, expected: email.message.EmailMessage):
    for header in ("From", "To", "Subject", "Message-ID", "Auto-Submitted", "List-Unsubscribe"):
        # Django folds a long encoded subject onto a line of its own: it reads back with a
        # leading space.
        assert received[header] == expected[header].strip(), header
    assert received.get_content_type() == expected.get_content_type()
    received_parts = [part for part in received.walk() if not part.is_multipart()]
    expected_parts = [part for part in expected.walk() if not part.is_multipart()]
    assert [p.get_content_type() for p in received_parts] == [
        p.get_content_type() for p in expected_parts
    ]
    for mine, django in zip(received_parts, expected_parts, strict=True):
        assert mine.get_content().replace("\r\n", "\n") == django.get_content().replace(
            "\r\n", "\n"
        )
        assert mine["Content-Transfer-Encoding"] == django["Content-Transfer-Encoding"]


def delivered(sink: SmtpSink, row: Notification) -> email.message.EmailMessage:
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert [item.to for item in sink.received] == [[row.to_email]]
    return sink.received[0].message


def test_a_digest_arrives_as_django_would_have_written_it(sink):
    row = outbox_row()
    message = delivered(sink, row)
    assert_same_email(message, as_django_sends_it(row))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Date"]
    assert "Referral mechanism drafted" in message.get_body(("plain",)).get_content()


def test_non_ascii_subject_sender_address_and_bodies_are_encoded(sink, settings):
    settings.DEFAULT_FROM_EMAIL = "Portail VPI — ONUDC <noreply@vpi.example>"
    row = outbox_row(
        to_email="amelie@bücher.example",
        subject="[VPI Portal] Votre résumé hebdomadaire — تقرير أسبوعي",
        body_text="Chère Amélie,\n\n== Côte d'Ivoire ==\n",
        body_html="<p>Chère Amélie,</p>\n<p>Côte d'Ivoire</p>\n",
    )
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    assert [item.to for item in sink.received] == [["amelie@xn--bcher-kva.example"]]
    message = sink.received[0].message
    assert message["Subject"] == row.subject
    assert message["From"] == "Portail VPI — ONUDC <noreply@vpi.example>"
    assert_same_email(message, as_django_sends_it(row))
    assert message.get_body(("plain",))["Content-Transfer-Encoding"] == "8bit"


def test_a_line_too_long_for_smtp_goes_quoted_printable(sink):
    row = outbox_row(body_html="<p>" + "a long paragraph " * 100 + "</p>\n")
    message = delivered(sink, row)
    html = message.get_body(("html",))
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert html.get_content().replace("\r\n", "\n") == row.body_html
    assert_same_email(message, as_django_sends_it(row))
    assert all(len(line) <= 998 for line in sink.received[0].message.as_bytes().splitlines())


def test_lines_that_smtp_would_take_for_the_end_survive(sink):
    row = outbox_row(body_text="Dear Alice,\n.\n..and so on\nFrom the portal\n", body_html="")
    message = delivered(sink, row)
    assert message.get_content_type() == "text/plain"
    assert message.get_content().replace("\r\n", "\n") == row.body_text
    assert_same_email(message, as_django_sends_it(row))


def test_a_line_break_in_a_subject_fails_the_row_instead_of_injecting_a_header(sink):
    row = outbox_row(subject="Hello\nBcc: someone@example.org")
    assert notifications_deliver(ids=[row.pk])["failed"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert "BadHeaderError" in row.last_error
    assert sink.received == []


def test_a_refused_message_after_a_broken_connection_is_retried_later(sink, settings):
    row = outbox_row()
    settings.EMAIL_PORT = 9  # nothing listens there
    assert notifications_deliver(ids=[row.pk])["retry"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now()
