"""HTML validation with the W3C Nu Html Checker (vnu.jar, from the npm package vnu-jar).

A pytest plugin (tests/conftest.py loads it). The checker is a Java program that takes a
few seconds to start, so the session collects documents in a folder: every page the
browser tests are answered (tests/browser/conftest.py records them) and the HTML part of
every email the tests send. At the end of the session one run of the checker validates them
all, and any error fails the session's last test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.mail.backends import locmem

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules/vnu-jar/build/dist/vnu.jar")


def checker_missing() -> str:
    """Why the checker cannot run here, or "" when it can."""
    if not shutil.which("java"):
        return "no java: install a Java runtime (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"no {VNU_JAR.relative_to(ROOT)}: run `npm ci` (package-lock.json)"
    return ""


def skip_or_fail_without_checker() -> None:
    """CI must validate; a developer without Java or the checker is told how to get them."""
    missing = checker_missing()
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"HTML validation cannot run: {missing}")
    if missing:
        pytest.skip(missing)


def vnu_errors(files: list[Path], names: dict[Path, str] | None = None) -> list[str]:
    """The checker's errors for these HTML files, one readable line each."""
    if not files:
        return []
    result = subprocess.run(  # noqa: S603
        [
            "java",
            "-Xss8m",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_path = {
        str(path.resolve()): names.get(path, path.name) if names else path.name for path in files
    }
    problems = []
    for message in messages:
        if message.get("type") != "error":
            continue
        source = message.get("url", "").removeprefix("file:")
        where = by_path.get(str(Path(source).resolve()) if source else "", source)
        extract = " ".join(message.get("extract", "").split())[:160]
        problem = f"{where}:{message.get('lastLine', '?')}: {message['message']} [{extract}]"
        if problem not in problems:
            problems.append(problem)
    return problems


class Documents:
    """HTML documents kept to be validated in one run, each with a name to report it by."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: dict[Path, str] = {}
        self.paused = False

    def add(self, name: str, html: str) -> None:
        if self.paused:
            return
        digest = hashlib.sha256(html.encode()).hexdigest()[:16]
        path = self.folder / f"{digest}.html"
        if path not in self.names:
            path.write_text(html, encoding="utf-8")
            self.names[path] = name

    def record(self, context) -> None:
        """Keep each HTML page this Playwright browser context receives."""

        def on_response(response) -> None:
            if response.request.resource_type != "document" or response.status != 200:
                return
            if not response.headers.get("content-type", "").startswith("text/html"):
                return
            parts = urlsplit(response.url)
            self.add(parts.path + (f"?{parts.query}" if parts.query else ""), response.text())

        context.on("response", on_response)


@pytest.fixture(scope="session")
def html_documents(tmp_path_factory) -> Iterator[Documents]:
    documents = Documents(tmp_path_factory.mktemp("html"))
    yield documents
    if not documents.names:
        return
    missing = checker_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"HTML validation cannot run: {missing}")
        warnings.warn(f"The HTML of this session was not validated: {missing}", stacklevel=1)
        return
    problems = vnu_errors(sorted(documents.names), documents.names)
    assert not problems, (
        f"{len(problems)} HTML errors in {len(documents.names)} documents:\n" + "\n".join(problems)
    )


@pytest.fixture(scope="session", autouse=True)
def _emails_html_is_validated(html_documents) -> Iterator[None]:
    """Keep the HTML part of every email the tests write to the outbox or send."""
    send_messages = locmem.EmailBackend.send_messages

    def recording(backend, messages):
        for message in messages:
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    html_documents.add(f"email {message.subject!r}", str(content))
        return send_messages(backend, messages)

    # Every email of the portal is first a row of the outbox (notifications/services.py).
    from notifications.models import Notification

    manager = Notification.objects
    bulk_create = manager.bulk_create

    def recording_rows(rows, *args, **kwargs):
        rows = list(rows)
        for row in rows:
            if row.body_html:
                html_documents.add(f"email {row.kind} {row.subject!r}", row.body_html)
        return bulk_create(rows, *args, **kwargs)

    locmem.EmailBackend.send_messages = recording
    manager.bulk_create = recording_rows
    yield
    locmem.EmailBackend.send_messages = send_messages
    manager.bulk_create = bulk_create


@pytest.fixture(autouse=True)
def _fuzzed_html_is_not_validated(request, html_documents) -> Iterator[None]:
    """Fuzzing feeds forms random code points (control characters among them), which the
    portal keeps as typed: what it renders from them is not kept for validation."""
    html_documents.paused = request.node.get_closest_marker("fuzz") is not None
    yield
    html_documents.paused = False
