"""Start-up behaviour with production settings, checked in a fresh process each time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#k2!q9-production-like-secret-for-the-check-only-0a1b2c3d4e5f6g",
    "DJANGO_ALLOWED_HOSTS": "vpi.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://vpi.example.org",
    "DATABASE_URL": "postgres://vpi:vpi@db.internal:5432/vpi",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_"))
    }
    environment.update(variables)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    variables = {**PRODUCTION}
    del variables["DJANGO_SECRET_KEY"]
    result = manage("check", **variables)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_secret_key_may_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["DJANGO_SECRET_KEY"])
    variables = {**PRODUCTION, "DJANGO_SECRET_KEY_FILE": str(secret)}
    del variables["DJANGO_SECRET_KEY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", ["not-a-url", "mysql2://x@y/z", "mongodb://localhost/vpi"])
def test_a_misconfigured_database_url_stops_start_up_naming_the_variable(url):
    result = manage("check", DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_defaults_need_no_configuration():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_production_requires_two_factor_for_privileged_roles():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PORTAL_REQUIRE_TWO_FACTOR)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_production_language_cookie_is_secure_same_site_and_not_for_scripts():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE,"
        " settings.LANGUAGE_COOKIE_SAMESITE, settings.LANGUAGE_COOKIE_HTTPONLY)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True Lax True"
