"""dev.py serves where it is asked to, says so, and has emails link there."""

import importlib.util
import os
from pathlib import Path

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("dev", Path(settings.BASE_DIR) / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


@pytest.mark.parametrize(
    ("args", "url"),
    [
        ([], "http://127.0.0.1:8000"),
        (["127.0.0.1:8101"], "http://127.0.0.1:8101"),
        (["8101"], "http://127.0.0.1:8101"),
        (["localhost:8101"], "http://localhost:8101"),
        (["0.0.0.0:8101"], "http://127.0.0.1:8101"),
        (["0:8101"], "http://127.0.0.1:8101"),
        (["--noreload", "127.0.0.1:8101"], "http://127.0.0.1:8101"),
        (["--settings", "vpi_portal.settings", "8101"], "http://127.0.0.1:8101"),
        (["-6"], "http://[::1]:8000"),
        (["--ipv6", "[::]:8101"], "http://[::1]:8101"),
        (["[::1]:8101"], "http://[::1]:8101"),
    ],
)
def test_served_url_reads_the_address_as_runserver_does(args, url):
    assert dev.served_url(args) == url


def test_emails_link_to_the_address_served_unless_the_environment_says_otherwise():
    url = "http://127.0.0.1:8101"
    assert dev.serve_environment(url, {"HOME": "/home/me"}) == {
        "HOME": "/home/me",
        "PORTAL_BASE_URL": url,
    }
    chosen = {"PORTAL_BASE_URL": "https://vpi.example.org"}
    assert dev.serve_environment(url, chosen) == chosen


@pytest.fixture
def serve_without_a_server(monkeypatch):
    """dev.serve() with nothing installed, run or started: what it would start, and with
    which environment."""
    started = {}
    monkeypatch.setattr(dev, "setup", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *args: None)
    monkeypatch.setattr(dev.os, "chdir", lambda path: None)
    monkeypatch.setattr(dev.os, "environ", {"HOME": "/home/me"})

    def execv(path, argv):
        started.update(argv=argv, environ=dict(os.environ))

    monkeypatch.setattr(dev.os, "execv", execv)
    return started


def test_serve_prints_the_address_it_serves_and_links_emails_there(serve_without_a_server, capsys):
    dev.serve(["127.0.0.1:8101"])

    printed = capsys.readouterr().out
    assert "The portal is at http://127.0.0.1:8101/" in printed
    assert "8000" not in printed
    assert serve_without_a_server["argv"][-2:] == ["runserver", "127.0.0.1:8101"]
    assert serve_without_a_server["environ"]["PORTAL_BASE_URL"] == "http://127.0.0.1:8101"


def test_serve_keeps_a_portal_address_set_in_the_environment(serve_without_a_server, capsys):
    os.environ["PORTAL_BASE_URL"] = "https://vpi.example.org"

    dev.serve([])

    printed = capsys.readouterr().out
    assert "The portal is at http://127.0.0.1:8000/" in printed
    assert "Links in emails point to https://vpi.example.org (PORTAL_BASE_URL)." in printed
    assert serve_without_a_server["environ"]["PORTAL_BASE_URL"] == "https://vpi.example.org"
