"""Digest benchmark: build and deliver weekly digests for 10,000 and 100,000 people to a
local SMTP sink, with the time, the peak memory of each worker and the queries.

    python benchmarks/digests.py                      # full dataset, 10,000 then 100,000
    python benchmarks/digests.py --people 10000 --reuse-db --keep-db

The dataset is seed_scale's (--factor); for the benchmark every person wants a weekly
digest and follows at least one country with news, so that each of them gets one: the
worst case. Workers are processes that run what the Celery tasks run (digests_build for a
chunk, then notifications_deliver for a batch), --workers at a time like a worker with that
concurrency; they count their own queries and report their peak resident memory. The sink
(aiosmtpd, in its own process) accepts and counts the messages.

Also times events.reminders.event_reminders_write on the same dataset: reminders must be
written within 60 seconds of becoming due.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (  # noqa: E402
    DEFAULT_REDIS,
    DEFAULT_SERVER,
    ROOT,
    bench_env,
    drop_database,
    flush_redis,
    machine,
    prepare_database,
)

TARGET_SECONDS = 300
TARGET_MEMORY_MB = 300


# --- The SMTP sink -------------------------------------------------------------------------------


def run_sink(port: int, received, ready) -> None:
    """Accept every message and count it, without parsing: the sink must not be the
    bottleneck it measures."""
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with received.get_lock():
                received.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


# --- Worker processes ----------------------------------------------------------------------------


def worker_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    global QUERIES
    QUERIES = 0

    def count(execute, sql, params, many, context):
        global QUERIES
        QUERIES += 1
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(count)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_chunk(job: tuple[list[int], str]) -> tuple[int, int, float, float]:
    """(digests written, queries, peak MB, CPU seconds) of one chunk."""
    from datetime import datetime

    from digests.services import digests_build

    ids, now = job
    before, cpu = QUERIES, time.process_time()
    written = digests_build(frequency="weekly", user_ids=ids, now=datetime.fromisoformat(now))
    return written, QUERIES - before, peak_mb(), time.process_time() - cpu


def deliver_batch(ids: list[int]) -> tuple[int, int, float, float]:
    """(emails sent, queries, peak MB, CPU seconds) of one batch."""
    from notifications.services import notifications_deliver

    before, cpu = QUERIES, time.process_time()
    counts = notifications_deliver(ids=ids)
    return counts["sent"], QUERIES - before, peak_mb(), time.process_time() - cpu


# --- Preparing the people ------------------------------------------------------------------------


def prepare_people(env: dict[str, str]) -> list[int]:
    """Every person wants a weekly digest and follows a country that has news; former
    digests are forgotten. Returns everyone's id, in order."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from notifications.models import Notification, Preferences
    from roadmaps.models import MilestoneUpdate
    from stakeholders.models import User

    with transaction.atomic():
        Notification.objects.filter(kind="digest").delete()
        people = list(
            User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        )
        Preferences.objects.bulk_create(
            [Preferences(user_id=pk) for pk in people], ignore_conflicts=True, batch_size=5000
        )
        Preferences.objects.update(digest_frequency="weekly", last_digest_at=None)
        week_ago = timezone.now() - timezone.timedelta(days=7)
        with_news = list(
            MilestoneUpdate.objects.filter(
                created_at__gte=week_ago, milestone__priority__roadmap__status="adopted"
            )
            .values_list("milestone__priority__roadmap__initiative__country_id", flat=True)
            .distinct()
        )
        if not with_news:
            raise SystemExit(
                "No progress reported in the past week: the dataset is too old to measure "
                "digests with. Build it again (without --reuse-db)."
            )
        through = Preferences.countries.through
        lonely = Preferences.objects.filter(countries__isnull=True).values_list("pk", flat=True)
        through.objects.bulk_create(
            [
                through(preferences_id=pk, country_id=with_news[index % len(with_news)])
                for index, pk in enumerate(lonely)
            ],
            ignore_conflicts=True,
            batch_size=5000,
        )
    connection.close()
    return people


def reset_digests(env: dict[str, str]) -> None:
    """Forget the digests of a former run (of this invocation or, with --reuse-db, of an
    earlier one), and vacuum what they leave behind: autovacuum would otherwise clean it up
    in the middle of the run being measured, and a second run would not measure what the
    first did."""
    from django.db import connection

    from notifications.models import Notification, Preferences

    Notification.objects.filter(kind="digest").delete()
    Preferences.objects.update(last_digest_at=None)
    with connection.cursor() as cursor:
        for model in (Notification, Preferences):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


# --- One run -------------------------------------------------------------------------------------


def run(
    env: dict[str, str],
    people: list[int],
    count: int,
    workers: int,
    senders: int,
    chunk: int,
    batch: int,
) -> dict[str, float]:
    from django.db import connection
    from django.utils import timezone

    from notifications.models import Notification, NotificationStatus

    reset_digests(env)
    connection.close()
    from digests.selectors import digest_recipient_ids

    # The first ``count`` people, in the order the digest job takes them (by language and
    # time zone, so that a chunk's people share rendered sections).
    wanted = set(people[:count])
    chosen = [pk for pk in digest_recipient_ids("weekly") if pk in wanted]
    chunks = [chosen[start : start + chunk] for start in range(0, len(chosen), chunk)]
    now = timezone.now().isoformat()
    context = multiprocessing.get_context("spawn")
    figures: dict[str, float] = {"people": len(chosen)}
    with context.Pool(workers, initializer=worker_setup, initargs=(env,)) as pool:
        started = time.perf_counter()
        built = pool.map(build_chunk, [(ids, now) for ids in chunks], chunksize=1)
        figures["build_seconds"] = time.perf_counter() - started
    figures["written"] = sum(item[0] for item in built)
    figures["build_queries"] = sum(item[1] for item in built)
    figures["chunks"] = len(chunks)
    figures["build_peak_mb"] = max(item[2] for item in built)
    figures["build_cpu"] = sum(item[3] for item in built)
    ids = list(
        Notification.objects.filter(kind="digest", status=NotificationStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    connection.close()
    batches = [ids[start : start + batch] for start in range(0, len(ids), batch)]
    with context.Pool(senders, initializer=worker_setup, initargs=(env,)) as pool:
        started = time.perf_counter()
        sent = pool.map(deliver_batch, batches, chunksize=1)
        figures["deliver_seconds"] = time.perf_counter() - started
    figures["sent"] = sum(item[0] for item in sent)
    figures["deliver_queries"] = sum(item[1] for item in sent)
    figures["batches"] = len(batches)
    figures["deliver_peak_mb"] = max((item[2] for item in sent), default=0)
    figures["deliver_cpu"] = sum(item[3] for item in sent)
    figures["peak_mb"] = max(figures["build_peak_mb"], figures["deliver_peak_mb"])
    return figures


def time_reminders(env: dict[str, str]) -> tuple[float, int, float, int]:
    """event_reminders_write on the dataset: a first run (writes what is due) and a second
    one right after (everything already written: what every later beat run costs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.reminders import event_reminders_write
    from notifications.models import Notification

    Notification.objects.filter(kind="event_reminder").delete()
    times = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            written = event_reminders_write()
            times.append((time.perf_counter() - started, written, len(queries)))
    (first, written, first_queries), (second, _, second_queries) = times
    return first, written, second, second_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, default=1.0, help="seed_scale factor")
    parser.add_argument(
        "--people", type=int, nargs="+", default=[10_000, 100_000], help="digest runs"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes building digests"
    )
    parser.add_argument(
        "--senders",
        type=int,
        default=4 * (os.cpu_count() or 1),
        help="processes delivering (they mostly wait on the mail server and commits)",
    )
    parser.add_argument("--chunk", type=int, default=500, help="people per build task")
    parser.add_argument("--batch", type=int, default=100, help="emails per delivery task")
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--database", default="vpi_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--skip-reminders", action="store_true")
    options = parser.parse_args()

    env = bench_env(database=options.database, server=options.server, redis=options.redis)
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{options.smtp_port}"
    print(f"Machine: {machine()}")
    seeded = prepare_database(
        env=env,
        server=options.server,
        database=options.database,
        factor=options.factor,
        reuse=options.reuse_db,
    )
    if seeded is not None:
        print(f"seed_scale --factor {options.factor:g}: {seeded:.1f} s")
    flush_redis(options.redis)
    received = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.get_context("fork").Process(
        target=run_sink, args=(options.smtp_port, received, ready), daemon=True
    )
    sink.start()
    ready.wait(10)
    try:
        people = prepare_people(env)
        print(
            f"{len(people):,} people; {options.workers} building and {options.senders} "
            f"delivering processes; chunks of {options.chunk}, delivery batches of "
            f"{options.batch}."
        )
        print(
            f"\n{'people':>8s} {'written':>8s} {'build s':>8s} {'deliver s':>9s} "
            f"{'total s':>8s} {'sunk':>8s} {'msg/s':>7s} {'queries':>8s} {'q/chunk':>8s} "
            f"{'peak MB':>8s} {'build CPU ms':>12s} {'send CPU ms':>11s}"
        )
        results = []
        for count in options.people:
            before = received.value
            figures = run(
                env, people, count, options.workers, options.senders, options.chunk, options.batch
            )
            figures["sunk"] = received.value - before
            total = figures["build_seconds"] + figures["deliver_seconds"]
            results.append((count, total, figures["peak_mb"]))
            print(
                f"{figures['people']:8,.0f} {figures['written']:8,.0f} "
                f"{figures['build_seconds']:8.1f} {figures['deliver_seconds']:9.1f} "
                f"{total:8.1f} {figures['sunk']:8,.0f} {figures['sent'] / total:7.0f} "
                f"{figures['build_queries'] + figures['deliver_queries']:8,.0f} "
                f"{figures['build_queries'] / figures['chunks']:8.1f} "
                f"{figures['peak_mb']:8.0f} "
                f"{1000 * figures['build_cpu'] / max(figures['people'], 1):12.2f} "
                f"{1000 * figures['deliver_cpu'] / max(figures['sent'], 1):11.2f}"
            )
        if not options.skip_reminders:
            first, written, second, second_queries = time_reminders(env)
            print(
                f"\nevent_reminders_write: {written:,} reminders due, written in {first:.1f} s; "
                f"the next run (nothing new) {second:.1f} s, {second_queries} queries."
            )
    finally:
        sink.terminate()
        flush_redis(options.redis)
        if not options.keep_db:
            from django.db import connections

            connections.close_all()
            drop_database(server=options.server, database=options.database)
    print(f"\nTargets: {TARGET_SECONDS} s and {TARGET_MEMORY_MB} MB per worker.")
    for count, total, peak in results:
        verdict = "met" if total < TARGET_SECONDS and peak < TARGET_MEMORY_MB else "NOT met"
        print(f"  {count:,} people: {total:.0f} s, peak {peak:.0f} MB: {verdict}")


if __name__ == "__main__":
    main()
