"""The worker and beat start against the configured Redis and answer."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from vpi_portal.celery import app

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
)


def celery(*args: str, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "vpi_portal", *args],
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_settings_use_redis_and_json_when_redis_is_configured():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    # (Tests themselves run tasks inline: see tests/conftest.py.)
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == 300


def test_a_worker_starts_and_answers_a_ping(tmp_path):
    name = f"vpi-test-{uuid.uuid4().hex[:8]}@localhost"
    worker = celery(
        "worker", "--pool=solo", "-n", name, "--loglevel=INFO", log=tmp_path / "worker.log"
    )
    try:
        deadline = time.monotonic() + 60
        replies: list = []
        while time.monotonic() < deadline and not replies:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            replies = app.control.ping(destination=[name], timeout=1.0)
        assert replies == [{name: {"ok": "pong"}}], (tmp_path / "worker.log").read_text()
    finally:
        stop(worker)


def test_beat_starts_and_keeps_running(tmp_path):
    log = tmp_path / "beat.log"
    beat = celery("beat", "-s", str(tmp_path / "schedule"), "--loglevel=INFO", log=log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "beat: Starting" not in log.read_text():
            assert beat.poll() is None, log.read_text()
            time.sleep(0.5)
        assert "beat: Starting" in log.read_text()
        time.sleep(2)
        assert beat.poll() is None, log.read_text()
    finally:
        stop(beat)
