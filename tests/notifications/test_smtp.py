"""Delivery over SMTP, as a worker does it, checked on what the mail server receives:
the sender, recipient, subject and headers of the row, its text and its HTML alternative,
encodings that survive SMTP, and one connection for a batch."""

from __future__ import annotations

import email.message

import pytest
from django.conf import settings
from django.utils import timezone

from notifications.models import Notification, NotificationStatus
from notifications.services import message_headers, notifications_deliver
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


def parts(message: email.message.EmailMessage) -> list[email.message.EmailMessage]:
    return [part for part in message.walk() if not part.is_multipart()]


def content(part: email.message.EmailMessage) -> str:
    return part.get_content().replace("\r\n", "\n")


def assert_received_as_written(
    received: email.message.EmailMessage, row: Notification, *, to: str | None = None
) -> None:
    """The email the server received is the row's: its sender, recipient, subject and
    headers, its text, and its HTML as the alternative when it has one."""
    assert received["From"] == settings.DEFAULT_FROM_EMAIL
    assert received["To"] == (to or row.to_email)
    # A long encoded subject is folded onto a line of its own; Python's parser keeps the
    # fold's space in front of it, a mail client does not show it.
    assert received["Subject"].strip() == row.subject
    assert received["Date"]
    for name, value in message_headers(row).items():
        assert received[name] == value, name
    if row.body_html:
        assert received.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in parts(received)] == ["text/plain", "text/html"]
        assert [content(part) for part in parts(received)] == [row.body_text, row.body_html]
    else:
        assert received.get_content_type() == "text/plain"
        assert content(received) == row.body_text


def delivered(sink: SmtpSink, row: Notification) -> email.message.EmailMessage:
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    assert [item.to for item in sink.received] == [[row.to_email]]
    return sink.received[0].message


def test_a_digest_arrives_with_its_headers_its_text_and_its_html(sink):
    row = outbox_row()
    message = delivered(sink, row)
    assert_received_as_written(message, row)
    assert message["Message-ID"].startswith(f"<notification-{row.pk}.")
    assert message["List-Unsubscribe"] == f"<{row.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert [part["Content-Transfer-Encoding"] for part in parts(message)] == ["7bit", "7bit"]
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
    assert message["Subject"].strip() == row.subject
    assert message["From"] == "Portail VPI — ONUDC <noreply@vpi.example>"
    assert_received_as_written(message, row, to="amelie@xn--bcher-kva.example")
    assert [part["Content-Transfer-Encoding"] for part in parts(message)] == ["8bit", "8bit"]


def test_a_line_too_long_for_smtp_goes_quoted_printable(sink):
    row = outbox_row(body_html="<p>" + "a long paragraph " * 100 + "</p>\n")
    message = delivered(sink, row)
    html = message.get_body(("html",))
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert_received_as_written(message, row)
    assert message.get_body(("plain",))["Content-Transfer-Encoding"] == "7bit"
    assert all(len(line) <= 998 for line in sink.received[0].message.as_bytes().splitlines())


def test_lines_that_smtp_would_take_for_the_end_survive(sink):
    row = outbox_row(body_text="Dear Alice,\n.\n..and so on\nFrom the portal\n", body_html="")
    message = delivered(sink, row)
    assert_received_as_written(message, row)


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


def test_a_batch_goes_over_one_connection(sink):
    rows = [outbox_row() for _ in range(3)]
    assert notifications_deliver(ids=[row.pk for row in rows])["sent"] == 3
    assert sorted(item.to[0] for item in sink.received) == sorted(row.to_email for row in rows)
    assert len({item.peer for item in sink.received}) == 1
    for row in rows:
        received = next(item.message for item in sink.received if item.to == [row.to_email])
        assert_received_as_written(received, row)
