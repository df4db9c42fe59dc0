"""What the benchmarks share: a PostgreSQL database of their own filled by seed_scale, the
environment the portal runs with in production (DEBUG off, Redis, persistent database
connections), and percentiles."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
# Only for the benchmark's own throwaway processes on 127.0.0.1.
BENCH_SECRET = "benchmark-only-secret-key-that-never-leaves-this-machine-0123456789"  # noqa: S105


def bench_env(*, database: str, server: str, redis: str) -> dict[str, str]:
    """The environment of every process of a benchmark run: production settings on this
    machine, with plain HTTP on 127.0.0.1."""
    static_root = Path(tempfile.gettempdir()) / "vpi-bench-static"
    return {
        **os.environ,
        "DATABASE_URL": f"{server}/{database}",
        "REDIS_URL": redis,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": BENCH_SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "vpi_portal.settings",
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)  # noqa: S603


def admin_sql(server: str, statement: str) -> None:
    """Run CREATE/DROP DATABASE on the server's maintenance database."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def database_exists(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(f"{server}/postgres") as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
    return row is not None


def prepare_database(
    *, env: dict[str, str], server: str, database: str, factor: float, reuse: bool
) -> float | None:
    """A fresh database filled by seed_scale (or the existing one with ``reuse``). Returns
    the seconds seed_scale took, or None when the database was reused."""
    if reuse and database_exists(server, database):
        print(f"Reusing database {database}.")
        return None
    admin_sql(server, f'DROP DATABASE IF EXISTS "{database}"')
    admin_sql(server, f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "benchmarks" / "seed_scale.py"), "--factor", str(factor)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def drop_database(*, server: str, database: str) -> None:
    admin_sql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def machine() -> str:
    cores = os.cpu_count() or 0
    try:
        with open("/proc/meminfo") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
        memory = f"{total_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    return f"{cores} CPU cores, {memory}, Python {sys.version.split()[0]}"
