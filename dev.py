#!/usr/bin/env python3
"""Set up and run the VPI Portal on a fresh machine with nothing but Python 3.11+.

    python3 dev.py serve    install, migrate, load the demo data, serve http://127.0.0.1:8000
                            (another address as runserver takes it: serve 127.0.0.1:8101)
    python3 dev.py test     install, then run the test suite (extra arguments go to pytest)
    python3 dev.py setup    install only

The virtual environment lives in .venv/ and is installed from requirements-dev.lock with
hashes checked; it is reinstalled only when the lock file changes. Links in the emails
point to the address served, unless PORTAL_BASE_URL is set.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements-dev.lock"
STAMP = VENV / ".installed-lock-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | os.PathLike[str]) -> None:
    result = subprocess.run([str(arg) for arg in args], cwd=ROOT, check=False)  # noqa: S603
    if result.returncode:
        sys.exit(result.returncode)


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be started by an older python3)
        sys.exit(f"The VPI Portal needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv/ ...", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        print("Installing the locked dependencies ...", flush=True)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
        STAMP.write_text(digest)
    (ROOT / "var").mkdir(exist_ok=True)


# runserver's "[addr:]port" argument, as django.core.management.commands.runserver reads it.
ADDRPORT = re.compile(
    r"^(?:(?P<addr>\d{1,3}(?:\.\d{1,3}){3}|\[[a-fA-F0-9:]+\]|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*):)?"
    r"(?P<port>\d+)$"
)
# The options of runserver (and of every command) that take a value as the next argument.
OPTIONS_WITH_VALUE = {"--settings", "--pythonpath", "-v", "--verbosity"}


def served_url(args: list[str]) -> str:
    """The address that ``manage.py runserver *args`` serves, as a browser opens it: an
    address that listens everywhere (0.0.0.0, ::) is opened on this machine."""
    ipv6 = any(arg in ("-6", "--ipv6") for arg in args)
    positional = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            positional.append(arg)
    addr, port = ("[::1]" if ipv6 else "127.0.0.1"), "8000"
    if positional:
        match = ADDRPORT.match(positional[0])
        if match is None:  # runserver refuses it with its own message
            return f"http://{positional[0]}"
        addr, port = match["addr"] or addr, match["port"]
    addr = {"0": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(addr, addr)  # noqa: S104
    return f"http://{addr}:{port}"


def serve_environment(url: str, environ: dict[str, str]) -> dict[str, str]:
    """The environment of the portal's processes: links in emails point to the address
    served unless PORTAL_BASE_URL says otherwise."""
    return {"PORTAL_BASE_URL": url, **environ}


def serve(args: list[str]) -> None:
    setup()
    url = served_url(args)
    os.environ.update(serve_environment(url, dict(os.environ)))
    run(PYTHON, "manage.py", "migrate", "--noinput")
    run(PYTHON, "manage.py", "seed_demo", "--verbosity", "2")
    links = os.environ["PORTAL_BASE_URL"]
    print(f"\nThe portal is at {url}/ (Ctrl+C stops it). Emails land in var/mail/.")
    if links.rstrip("/") != url:
        print(f"Links in emails point to {links} (PORTAL_BASE_URL).")
    print(flush=True)
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "manage.py", "runserver", *(args or ["127.0.0.1:8000"])])  # noqa: S606


def test(args: list[str]) -> None:
    setup()
    os.chdir(ROOT)
    os.execv(PYTHON, [str(PYTHON), "-m", "pytest", *args])  # noqa: S606


def main() -> None:
    command, *args = sys.argv[1:] or ["help"]
    if command == "serve":
        serve(args)
    elif command == "test":
        test(args)
    elif command == "setup":
        setup()
    else:
        print(__doc__)
        sys.exit(0 if command in ("help", "-h", "--help") else 2)


if __name__ == "__main__":
    main()
