#!/usr/bin/env python3
"""Set up and run the VPI Portal on a fresh machine with nothing but Python 3.11+.

    python3 dev.py serve    install, migrate, load the demo data, serve http://127.0.0.1:8000
    python3 dev.py test     install, then run the test suite (extra arguments go to pytest)
    python3 dev.py setup    install only

The virtual environment lives in .venv/ and is installed from requirements-dev.lock with
hashes checked; it is reinstalled only when the lock file changes.
"""

from __future__ import annotations

import hashlib
import os
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


def serve(args: list[str]) -> None:
    setup()
    run(PYTHON, "manage.py", "migrate", "--noinput")
    run(PYTHON, "manage.py", "seed_demo", "--verbosity", "2")
    print(
        "\nThe portal is at http://127.0.0.1:8000/ (Ctrl+C stops it). Emails land in var/mail/.\n"
    )
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
