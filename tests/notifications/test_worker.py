"""The outbox against a real Celery worker, the real Redis and PostgreSQL, and an SMTP
server: delivered once, through a worker killed mid-batch and through a Redis outage."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction

from notifications.models import Notification, NotificationStatus
from notifications.services import notifications_sweep, notify
from tests.stakeholders.factories import InitiativeRoleFactory, UserFactory
from tests.support.smtp_sink import SmtpSink, free_port
from vpi_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL"),
]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def service_env(sink: SmtpSink, redis_url: str | None = None) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url or os.environ["REDIS_URL"],
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        NOTIFICATION_CLAIM_TIMEOUT_SECONDS="0",
        DATABASE_CONN_MAX_AGE="0",
    )
    return environment


def start_worker(
    sink: SmtpSink, tmp_path: Path, redis_url: str | None = None, queue: str | None = None
) -> subprocess.Popen[bytes]:
    name = f"outbox-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / f"{name}.log"
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vpi_portal",
            "worker",
            "--pool=solo",
            "-n",
            name,
            "--loglevel=INFO",
            *(["-Q", queue] if queue else []),
        ],
        cwd=ROOT,
        env=service_env(sink, redis_url),
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    worker.log = log  # type: ignore[attr-defined]
    return worker


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, timeout: float = 60, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {message}")


@pytest.fixture
def real_broker():
    """Publish to Redis instead of running tasks inline, with an empty queue."""
    app.conf.task_always_eager = False
    app.control.purge()
    yield
    app.conf.task_always_eager = True


def send_to(people) -> None:
    assignment = InitiativeRoleFactory()
    with transaction.atomic():
        notify(
            recipients=people,
            template="initiative_role_assigned",
            context={
                "assignment": assignment,
                "initiative": assignment.initiative,
                "url": "http://x/",
            },
        )


def test_a_worker_delivers_each_email_once(transactional_db, real_broker, tmp_path):
    people = [UserFactory() for _ in range(20)]
    with SmtpSink() as sink:
        worker = start_worker(sink, tmp_path)
        try:
            send_to(people)
            wait_for(lambda: len(sink.received) >= 20, message=worker.log.read_text())
            time.sleep(1)  # anything sent twice would arrive now
        finally:
            stop(worker)
    assert sink.addresses() == sorted(person.email for person in people)
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


@pytest.fixture
def mail_queue():
    """Delivery routed to a queue of its own, as CELERY_MAIL_QUEUE does."""

    def route(routes: dict) -> None:
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)  # built from the routes once, then kept

    queue, original = f"mail-{uuid.uuid4().hex[:8]}", app.conf.task_routes
    route({"notifications.tasks.deliver_notifications": {"queue": queue}})
    yield queue
    route(original)


def test_a_worker_of_its_own_on_the_mail_queue_delivers(
    transactional_db, real_broker, mail_queue, tmp_path
):
    people = [UserFactory() for _ in range(3)]
    with SmtpSink() as sink:
        worker = start_worker(sink, tmp_path, queue=mail_queue)
        try:
            send_to(people)
            wait_for(lambda: len(sink.received) >= 3, message=worker.log.read_text())
        finally:
            stop(worker)
    assert sink.addresses() == sorted(person.email for person in people)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    transactional_db, real_broker, tmp_path, settings
):
    people = [UserFactory() for _ in range(30)]
    with SmtpSink(stall_after=10) as sink:
        worker = start_worker(sink, tmp_path)
        try:
            send_to(people)
            wait_for(sink.stalled.is_set, message=worker.log.read_text())
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=20)
        finally:
            stop(worker)
        sink.release.set()
        statuses = Counter(Notification.objects.values_list("status", flat=True))
        assert statuses == {
            NotificationStatus.SENT: 10,
            NotificationStatus.SENDING: 1,
            NotificationStatus.PENDING: 19,
        }

        restarted = start_worker(sink, tmp_path)
        try:
            settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 0  # the dead worker's claim has expired
            assert notifications_sweep() == {"released": 1, "enqueued": 20}
            wait_for(lambda: len(sink.received) >= 30, message=restarted.log.read_text())
            time.sleep(1)
        finally:
            stop(restarted)
    assert sink.addresses() == sorted(person.email for person in people)
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of this test's own, so that the test can stop and start it."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("needs redis-server on the PATH")
    port = free_port()

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False
                ).stdout.strip()
                == b"PONG"
            ),
            timeout=20,
        )  # noqa: S603, S607
        return process

    state = {"process": start()}

    class Control:
        url = f"redis://127.0.0.1:{port}/0"

        def stop(self) -> None:
            state["process"].kill()
            state["process"].wait()

        def start(self) -> None:
            state["process"] = start()

    yield Control()
    stop(state["process"])


def test_pages_answer_while_redis_is_down_and_emails_follow_when_it_is_back(
    transactional_db, private_redis, tmp_path
):
    with SmtpSink() as sink:
        port = free_port()
        environment = service_env(sink, private_redis.url)
        web = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "vpi_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=environment,
            stdout=(tmp_path / "web.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        worker = start_worker(sink, tmp_path, private_redis.url)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            wait_for(
                lambda: _answers(browser, base + "/"),
                timeout=30,
                message=(tmp_path / "web.log").read_text(),
            )
            # Redis goes down under a running worker. One still starting (greeting the
            # other workers through Redis) would stop, as Celery means it to, and be
            # restarted by its supervisor: not what this test is about.
            wait_for(
                lambda: " ready." in worker.log.read_text(),
                timeout=60,
                message=worker.log.read_text(),
            )
            private_redis.stop()

            started = time.monotonic()
            assert browser.open(base + "/", timeout=10).status == 200
            form = browser.open(base + "/accounts/signup/", timeout=10).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "full_name": "Outage Tester",
                    "email": "outage@example.org",
                    "password1": "a-long-and-unusual-passphrase",
                    "password2": "a-long-and-unusual-passphrase",
                }
            ).encode()
            request = urllib.request.Request(
                base + "/accounts/signup/",
                data=data,
                headers={"Referer": base + "/accounts/signup/"},
            )
            response = browser.open(request, timeout=15)
            assert response.status == 200  # followed the redirect to "verify your email"
            assert time.monotonic() - started < 10
            assert (
                Notification.objects.get(to_email="outage@example.org").status
                == NotificationStatus.PENDING
            )
            assert sink.received == []

            private_redis.start()
            sweep = subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "sweep_notifications"],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert sweep.returncode == 0, sweep.stderr
            wait_for(lambda: len(sink.received) >= 1, timeout=90, message=worker.log.read_text())
            time.sleep(1)
        finally:
            stop(web)
            stop(worker)
    assert sink.addresses() == ["outage@example.org"]
    assert "Confirm" in sink.received[0].subject or "confirm" in sink.received[0].subject.lower()


def _answers(browser, url: str) -> bool:
    try:
        return browser.open(url, timeout=2).status == 200
    except OSError:
        return False


def test_worker_and_beat_send_one_24_hour_reminder_however_often_beat_runs(
    transactional_db, real_broker, tmp_path, kenya_initiative
):
    from django.utils import timezone

    from tests.events.factories import EventFactory, RegistrationFactory

    starts = timezone.now() + timedelta(hours=23)
    event = EventFactory(
        initiative=kenya_initiative, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    registration = RegistrationFactory(event=event)
    with SmtpSink() as sink:
        worker = start_worker(sink, tmp_path)
        environment = service_env(sink) | {"EVENT_REMINDER_INTERVAL_SECONDS": "1"}
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vpi_portal",
                "beat",
                "-s",
                str(tmp_path / "beat"),
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=environment,
            stdout=(tmp_path / "beat.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(lambda: len(sink.received) >= 1, message=worker.log.read_text())
            # Beat keeps sending the job every second; nothing more may arrive.
            wait_for(
                lambda: (tmp_path / "beat.log").read_text().count("send_event_reminders") >= 5,
                message=(tmp_path / "beat.log").read_text(),
            )
            time.sleep(2)
        finally:
            stop(beat)
            stop(worker)
    assert sink.addresses() == [registration.user.email]
    assert "Starting within a day" in sink.received[0].subject
