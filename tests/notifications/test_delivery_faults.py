"""Delivery when the mail server misbehaves: a server that hangs costs an attempt, not a
worker; a message whose fate is unknown is retried and says so to staff; a night-long
outage delays email without failing it; each row is marked sent as soon as its own
message is accepted."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection as default_connection

from notifications.models import Notification, NotificationStatus
from notifications.services import notifications_deliver, notifications_sweep
from tests.notifications.factories import NotificationFactory
from tests.support.smtp_sink import SmtpSink
from tests.test_settings import PRODUCTION, manage

TIMEOUT = 0.5


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = TIMEOUT


@pytest.fixture
def hung_smtp_server() -> Iterator[int]:
    """Accepts TCP connections and never says a word (not even its greeting)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for peer in accepted:
        peer.close()
    server.close()


class SilentAfterData(SmtpSink):
    """Takes the whole message, then never sends the 250 that says it was accepted."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(TIMEOUT * 4)
        return "250 Message accepted for delivery"


class Refusing:
    """A connection to a mail server that cannot be reached (or a time limit that fires)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.opened = 0

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise self.error


# --- A server that hangs -------------------------------------------------------------------


def test_the_portal_sets_an_smtp_timeout():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_TIMEOUT)",
        **PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == "20"


@pytest.mark.django_db
def test_a_hung_server_costs_one_attempt_and_leaves_the_batch_for_later(settings, hung_smtp_server):
    use_smtp(settings, hung_smtp_server)
    rows = [NotificationFactory() for _ in range(5)]
    start = time.perf_counter()
    counts = notifications_deliver(ids=[row.pk for row in rows])
    elapsed = time.perf_counter() - start
    assert counts == {"sent": 0, "retry": 1, "failed": 0, "skipped": 0}
    assert elapsed < 4 * TIMEOUT, f"{elapsed:.2f} s"
    first, *rest = [Notification.objects.get(pk=row.pk) for row in rows]
    assert first.status == NotificationStatus.PENDING
    assert first.attempts == 1
    assert "timed out" in first.last_error
    assert "Delivery unknown" not in first.last_error  # nothing was sent yet
    # The rest were not attempted: still due, for the sweep to enqueue again.
    assert {(row.status, row.attempts) for row in rest} == {(NotificationStatus.PENDING, 0)}


class SilentAfterGreeting(SmtpSink):
    """Says hello, then never answers MAIL FROM."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        await asyncio.sleep(TIMEOUT * 4)
        envelope.mail_from = address
        return "250 OK"


@pytest.mark.django_db
def test_a_server_that_hangs_after_its_greeting_stops_the_batch_after_two_attempts(settings):
    with SilentAfterGreeting() as sink:
        use_smtp(settings, sink.port)
        rows = [NotificationFactory() for _ in range(6)]
        start = time.perf_counter()
        counts = notifications_deliver(ids=[row.pk for row in rows])
        elapsed = time.perf_counter() - start
    assert counts == {"sent": 0, "retry": 2, "failed": 0, "skipped": 0}
    assert elapsed < 4 * TIMEOUT, f"{elapsed:.2f} s"
    attempts = [Notification.objects.get(pk=row.pk).attempts for row in rows]
    assert attempts == [1, 1, 0, 0, 0, 0]


@pytest.mark.django_db
def test_a_server_that_never_confirms_the_message_leaves_it_unknown_not_failed(
    settings, staff_client
):
    with SilentAfterData() as sink:
        use_smtp(settings, sink.port)
        row = NotificationFactory()
        counts = notifications_deliver(ids=[row.pk])
        assert len(sink.received) == 1  # the server has the message
    assert counts["retry"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.attempts == 1
    assert row.last_error.startswith("Delivery unknown: the server may have accepted it")
    page = staff_client.get("/admin/notifications/notification/").content.decode()
    assert "Delivery unknown: the server may have accepted it" in page


@pytest.mark.django_db
def test_the_tasks_time_limit_leaves_the_email_pending_and_says_its_fate_is_unknown():
    rows = [NotificationFactory() for _ in range(3)]
    with mock.patch(
        "notifications.services.get_connection",
        return_value=Refusing(SoftTimeLimitExceeded()),
    ):
        counts = notifications_deliver(ids=[row.pk for row in rows])
    assert counts == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    first, *rest = [Notification.objects.get(pk=row.pk) for row in rows]
    assert first.status == NotificationStatus.PENDING
    assert first.last_error == (
        "Delivery unknown: the server may have accepted it "
        "(the task's time limit stopped the delivery)."
    )
    assert {row.status for row in rest} == {NotificationStatus.PENDING}


@pytest.mark.django_db
def test_a_claim_released_after_a_dead_worker_says_delivery_is_unknown(settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 60
    row = NotificationFactory(
        status=NotificationStatus.SENDING,
        claimed_at=datetime.now(UTC) - timedelta(minutes=5),
        attempts=1,
    )
    with mock.patch("notifications.services.enqueue_delivery"):
        notifications_sweep()
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert row.last_error.startswith("Delivery unknown")


# --- A long outage, on a fake clock --------------------------------------------------------


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def run_outage(row: Notification, *, clock: Clock, server_back_at: datetime | None) -> list:
    """Run the sweep whenever the row is next due, the mail server refusing connections
    until ``server_back_at``. Returns the times of the attempts."""
    attempts = []
    refused = Refusing(ConnectionRefusedError(111, "Connection refused"))
    working = mock.Mock(open=mock.Mock(), close=mock.Mock(), send_messages=mock.Mock())

    def deliver(ids):
        attempts.append(clock.now)
        up = server_back_at is not None and clock.now >= server_back_at
        with mock.patch(
            "notifications.services.get_connection", return_value=working if up else refused
        ):
            notifications_deliver(ids=ids)

    with (
        mock.patch("django.utils.timezone.now", clock),
        mock.patch("notifications.services.enqueue_delivery", side_effect=deliver),
    ):
        for _ in range(100):
            row.refresh_from_db()
            if row.status != NotificationStatus.PENDING:
                break
            clock.now = max(clock.now, row.next_attempt_at) + timedelta(seconds=30)
            notifications_sweep()
    row.refresh_from_db()
    return attempts


@pytest.mark.django_db
def test_a_night_long_outage_delays_email_without_failing_it():
    start = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    clock = Clock(start)
    row = NotificationFactory(created_at=start, next_attempt_at=start)
    back = start + timedelta(hours=10)
    attempts = run_outage(row, clock=clock, server_back_at=back)
    assert row.status == NotificationStatus.SENT
    assert back <= row.sent_at <= back + timedelta(hours=1, minutes=1)
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    assert gaps[0] < timedelta(minutes=2)  # the first retry is quick
    assert max(gaps) <= timedelta(hours=1, minutes=1)  # the backoff is capped
    assert len(attempts) < 20


@pytest.mark.django_db
def test_after_a_day_of_outage_the_email_fails_and_says_why(staff_client):
    start = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    clock = Clock(start)
    row = NotificationFactory(created_at=start, next_attempt_at=start)
    attempts = run_outage(row, clock=clock, server_back_at=None)
    assert row.status == NotificationStatus.FAILED
    assert timedelta(hours=24) <= attempts[-1] - start <= timedelta(hours=25)
    assert row.last_error.startswith(f"Gave up after {row.attempts} attempts over 24.")
    assert "Connection refused" in row.last_error
    page = staff_client.get("/admin/notifications/notification/", {"status": "failed"})
    assert "Gave up after" in page.content.decode()


@pytest.mark.django_db
def test_the_horizon_and_the_cap_are_settings(settings):
    settings.NOTIFICATION_RETRY_HORIZON_SECONDS = 3 * 3600
    settings.NOTIFICATION_RETRY_MAX_DELAY_SECONDS = 600
    start = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    clock = Clock(start)
    row = NotificationFactory(created_at=start, next_attempt_at=start)
    attempts = run_outage(row, clock=clock, server_back_at=None)
    assert row.status == NotificationStatus.FAILED
    assert timedelta(hours=3) <= attempts[-1] - start <= timedelta(hours=3, minutes=15)
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    assert max(gaps) <= timedelta(minutes=11)


# --- Marked sent as each message is accepted -----------------------------------------------


class RecordingSink(SmtpSink):
    """At each message, reads from its own database connection which rows are already
    marked sent: what a worker killed at that moment would leave behind."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_when_accepting: list[set[int]] = []

    def committed_sent(self) -> set[int]:
        from django.db import connection

        try:
            return set(
                Notification.objects.filter(status=NotificationStatus.SENT).values_list(
                    "pk", flat=True
                )
            )
        finally:
            connection.close()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        loop = asyncio.get_running_loop()
        self.sent_when_accepting.append(await loop.run_in_executor(None, self.committed_sent))
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_each_row_is_committed_as_sent_before_the_next_message_goes(settings):
    if default_connection.vendor != "postgresql":
        pytest.skip("reads from a second connection: needs PostgreSQL")
    rows = [NotificationFactory() for _ in range(3)]
    with RecordingSink() as sink:
        use_smtp(settings, sink.port)
        settings.EMAIL_TIMEOUT = 5
        assert notifications_deliver(ids=[row.pk for row in rows])["sent"] == 3
    first, second, _ = (row.pk for row in rows)
    assert sink.sent_when_accepting == [set(), {first}, {first, second}]


@pytest.mark.django_db
def test_a_refusal_after_the_message_is_known_not_sent_and_fails(settings):
    """A 5xx answer to the message is the server's word: no retry, no "unknown"."""

    class RefusingData(SmtpSink):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "554 Message refused"

    with RefusingData() as sink:
        use_smtp(settings, sink.port)
        row = NotificationFactory()
        assert notifications_deliver(ids=[row.pk])["failed"] == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.last_error.startswith("SMTPDataError")
