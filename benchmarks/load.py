"""Load benchmark: the portal under gunicorn, PostgreSQL and Redis on this machine, driven by
concurrent clients from other processes, next to a one-query floor view (/healthz/).

    python benchmarks/load.py                   # full dataset (seed_scale, about a minute)
    python benchmarks/load.py --factor 0.1      # a tenth of it
    python benchmarks/load.py --reuse-db --keep-db --seconds 5

What it does:
1. creates the database (default vpi_bench) and fills it with seed_scale at --factor;
2. signs in a few hundred generated people (sessions written directly, as a sign-in would),
   one CSU staff member, and the writers: a person of each of 60 alliances and the focal
   points of those countries (two-factor authentication set up where it is required);
3. starts gunicorn (DEBUG off, Redis cache, persistent database connections);
4. measures, with --clients concurrent clients, each key page alone for --seconds, cut
   into --rounds pieces that alternate with pieces of the floor view (floor, page, floor,
   page, ... floor), so that a page's throughput is compared with the floor's measured
   around it: the machine's speed drifts by 5 to 10 % from one ten-second phase to the
   next, and alternating makes a drift weigh on both alike;
   each page twice in the same run: first from a server that keeps no visitor's page
   (PORTAL_PAGE_CACHE_SECONDS=0), with Django's cache (Redis) emptied before each of its
   rounds; then from a server with caching as shipped, after every public address of it
   was visited once, untimed (visitors' pages kept whole, fragments warm);
5. runs the realistic mix (anonymous country and roadmap pages, directory search, event
   pages, working groups and their threads, a signed-in person's events, "My work" and
   notifications, the portal's search (visitors and signed-in people), the CSU dashboard,
   event registration POSTs) with caching as shipped, while a writer sends comments on
   roadmaps and progress reports at --writes-per-second: each invalidates what it changes;
6. prints p50, p95, p99 latency and throughput for each, the throughput ratio to the
   floor and the targets of both columns; then stops gunicorn and drops the database
   (unless --keep-db).

Every request goes to 127.0.0.1 only, and every phase is bounded in time and count.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib
import multiprocessing
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (  # noqa: E402
    DEFAULT_REDIS,
    DEFAULT_SERVER,
    PYTHON,
    ROOT,
    bench_env,
    drop_database,
    flush_redis,
    machine,
    manage,
    percentile,
    prepare_database,
)

SIGNED_IN_PEOPLE = 200
# Each page is measured twice: with every cache emptied before each round, and with caching
# as shipped (the visitors' pages kept, fragments warm). p95 target (ms), ratio to the floor.
MODES = {
    "empty": (150.0, 0.1, "without the page cache, every cache emptied before each round"),
    "cached": (100.0, 0.25, "with caching as shipped"),
}


# --- What the clients request ------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str = ""


@dataclass
class Page:
    """A kind of request: its name, its weight in the mix and its variants."""

    name: str
    weight: float
    requests: list[Request] = field(default_factory=list)


def build_pages(env: dict[str, str]) -> tuple[Page, list[Page]]:
    """Read the dataset to choose URLs and sign people in. Runs Django in this process
    (the clients do not)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connections
    from django.utils import timezone

    from benchmarks.scale import SCALE_DOMAIN
    from events.models import Event, EventStatus, EventVisibility
    from groups.models import Thread, WorkingGroup
    from roadmaps.models import Milestone, Roadmap, RoadmapStatus
    from stakeholders.models import InitiativeRole, MembershipStatus, OrganizationMember, User

    SessionStore = importlib.import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806
    rng = random.Random(8)  # noqa: S311 (choosing URLs, not secrets)
    now = int(time.time())
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the secret as the token

    def sign_in(user: User) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["signed_in_at"] = session["seen_at"] = now
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}"

    people = list(
        User.objects.filter(
            email__endswith=f"@{SCALE_DOMAIN}",
            is_staff=False,
            initiative_roles__isnull=True,
            coordinated_alliances__isnull=True,
        ).order_by("?")[:SIGNED_IN_PEOPLE]
    )
    cookies = [sign_in(person) for person in people]
    staff = User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}", is_staff=True).first()
    Authenticator.objects.get_or_create(
        user=staff, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "BENCHMARK"}}
    )
    staff_cookie = sign_in(staff)

    roadmaps = list(
        Roadmap.objects.filter(status=RoadmapStatus.ADOPTED, initiative__visibility="public")
        .select_related("initiative__country")
        .order_by("pk")
    )
    codes = [roadmap.initiative.country.code.code.lower() for roadmap in roadmaps]
    upcoming = list(
        Event.objects.filter(
            visibility=EventVisibility.PUBLIC,
            status=EventStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
            initiative__visibility="public",
        ).values_list("pk", flat=True)
    )
    rng.shuffle(upcoming)
    words = ["trafficking", "migrant rights", "firearms", "victim support", "cyber", "justice"]

    # Writes that change what pages show: people of a country's alliance comment on its
    # roadmap, its focal points report progress on a milestone (with two-factor set up).
    commenters, reporters = [], []
    thread_readers: list[Request] = []
    for roadmap in roadmaps[:60]:
        member = (
            OrganizationMember.objects.filter(
                organization__alliance_memberships__alliance__country_id=roadmap.initiative.country_id,
                organization__alliance_memberships__status=MembershipStatus.APPROVED,
            )
            .select_related("user")
            .first()
        )
        if member is not None:
            commenters.append((roadmap.pk, sign_in(member.user)))
        role = (
            InitiativeRole.objects.active()
            .focal_points()
            .filter(initiative=roadmap.initiative)
            .select_related("user")
            .first()
        )
        milestone = Milestone.objects.filter(priority__roadmap=roadmap).first()
        if role is not None and milestone is not None:
            Authenticator.objects.get_or_create(
                user=role.user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": "BENCHMARK"}},
            )
            cookie = sign_in(role.user)
            reporters.append((milestone.pk, cookie))
            # The focal point reads the threads of the initiative's working groups.
            thread_readers += [
                Request("GET", f"/threads/{pk}/", cookie)
                for pk in Thread.objects.filter(group__initiative=roadmap.initiative).values_list(
                    "pk", flat=True
                )
            ]
    groups = list(
        WorkingGroup.objects.filter(
            visibility="public", initiative__visibility="public"
        ).values_list("pk", flat=True)
    )
    connections.close_all()

    def anonymous(paths: list[str]) -> list[Request]:
        return [Request("GET", path) for path in paths]

    floor = Page("floor /healthz/", 0, [Request("GET", "/healthz/")])
    pages = [
        Page("country page", 25, anonymous([f"/countries/{code}/" for code in codes])),
        Page("roadmap page", 20, anonymous([f"/countries/{code}/roadmap/" for code in codes])),
        Page(
            "directory search",
            15,
            anonymous(
                [f"/organizations/?{urllib.parse.urlencode({'q': word})}" for word in words]
                + [f"/organizations/?q={urllib.parse.quote(w)}&kind=ngo" for w in words]
            ),
        ),
        Page("event page", 10, anonymous([f"/events/{pk}/" for pk in upcoming[:500]])),
        Page("home", 5, anonymous(["/"])),
        Page(
            "my events (signed in)",
            10,
            [Request("GET", "/events/mine/", cookie) for cookie in cookies],
        ),
        Page("CSU dashboard (signed in)", 5, [Request("GET", "/dashboard/", staff_cookie)]),
        Page(
            "my work (signed in)",
            5,
            [Request("GET", "/my-work/", cookie) for cookie in cookies]
            + [Request("GET", "/my-work/", staff_cookie)],
        ),
        Page("working group page", 5, anonymous([f"/groups/{pk}/" for pk in groups])),
        Page("group thread (signed in)", 5, thread_readers),
        Page(
            "notifications (signed in)",
            5,
            [Request("GET", "/notifications/", cookie) for cookie in cookies],
        ),
        Page(
            "portal search",
            5,
            anonymous([f"/search/?{urllib.parse.urlencode({'q': word})}" for word in words])
            + [
                Request("GET", f"/search/?{urllib.parse.urlencode({'q': word})}", cookie)
                for word, cookie in zip(words * 20, cookies, strict=False)
            ],
        ),
        Page(
            "event registration POST",
            10,
            [
                Request(
                    "POST",
                    f"/events/{rng.choice(upcoming)}/register/",
                    rng.choice(cookies),
                    f"csrfmiddlewaretoken={csrf}",
                )
                for _ in range(5000)
            ],
        ),
    ]
    writes = [
        Request(
            "POST",
            f"/roadmaps/{pk}/comments/",
            cookie,
            urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "body": "A comment under load."}),
        )
        for pk, cookie in commenters
    ] + [
        Request(
            "POST",
            f"/milestones/{pk}/report/",
            cookie,
            urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "status": "in_progress",
                    "progress": rng.randint(1, 99),
                    "narrative": "Progress reported under load.",
                }
            ),
        )
        for pk, cookie in reporters
    ]
    return floor, pages, writes


# --- The clients ---------------------------------------------------------------------------------


def fetch(port: int, request: Request) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    if request.cookie:
        headers["Cookie"] = request.cookie
    body = None
    if request.method == "POST":
        body = request.body.encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(request.method, request.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status == 302 and "/accounts/login/" in (response.getheader("Location") or ""):
            return 401  # not signed in after all: an error, though a redirect like success
        return response.status
    finally:
        connection.close()


def drive(job: tuple) -> list[tuple[str, float, int]]:
    """One client process: ``threads`` clients, each in a closed loop (the next request as
    soon as the previous answered) until the time or the count runs out."""
    port, pages, threads, seconds, limit, seed = job
    names = [page.name for page in pages]
    weights = [page.weight or 1 for page in pages]
    by_name = {page.name: page for page in pages}
    records: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)  # noqa: S311
        done = []
        while time.perf_counter() < deadline and len(done) < limit:
            name = rng.choices(names, weights=weights)[0]
            request = rng.choice(by_name[name].requests)
            started = time.perf_counter()
            try:
                status = fetch(port, request)
            except OSError:
                status = 0
            done.append((name, (time.perf_counter() - started) * 1000, status))
        with lock:
            records.extend(done)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return records


def warm(port: int, pages: list[Page], clients: int) -> float:
    """Visit every distinct anonymous address of ``pages`` once, as visitors would have
    before: the public pages are measured in their steady state, from the page cache.
    Done again just before each phase, since entries expire (PORTAL_PAGE_CACHE_SECONDS)
    while earlier phases run."""
    queue = sorted(
        {r.path for page in pages for r in page.requests if r.method == "GET" and not r.cookie}
    )
    lock = threading.Lock()
    started = time.perf_counter()

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            with contextlib.suppress(OSError):
                fetch(port, Request("GET", path))

    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_phase(
    pool, port: int, pages: list[Page], *, clients: int, processes: int, seconds: float, limit: int
) -> dict[str, Result]:
    per_process = [
        clients // processes + (1 if n < clients % processes else 0) for n in range(processes)
    ]
    jobs = [
        (port, pages, threads, seconds, limit // clients + 1, seed)
        for seed, threads in enumerate(per_process)
        if threads
    ]
    started = time.perf_counter()
    records = [record for part in pool.map(drive, jobs) for record in part]
    elapsed = time.perf_counter() - started
    results = {}
    for page in pages:
        mine = [r for r in records if r[0] == page.name]
        expected = (302,) if page.requests and page.requests[0].method == "POST" else (200,)
        results[page.name] = Result(
            name=page.name,
            latencies=[latency for _, latency, status in mine if status in expected],
            seconds=elapsed,
            errors=sum(1 for _, _, status in mine if status not in expected),
        )
    return results


def combined(name: str, results: list[Result]) -> Result:
    """Several measurements of one page as one: their requests over their total time."""
    return Result(
        name,
        [v for result in results for v in result.latencies],
        sum(result.seconds for result in results),
        sum(result.errors for result in results),
    )


class Writer(threading.Thread):
    """Sends ``writes`` round-robin at a steady rate (an open loop, not a client waiting
    for its answer): the changes that invalidate what caches keep."""

    def __init__(self, port: int, writes: list[Request], per_second: float) -> None:
        super().__init__(daemon=True)
        self.port, self.writes, self.per_second = port, writes, per_second
        self.latencies: list[float] = []
        self.errors = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        if not self.writes or self.per_second <= 0:
            return
        interval = 1 / self.per_second
        number = 0
        while not self.stopping.wait(interval):
            request = self.writes[number % len(self.writes)]
            number += 1
            started = time.perf_counter()
            try:
                status = fetch(self.port, request)
            except OSError:
                status = 0
            if status == 302:
                self.latencies.append((time.perf_counter() - started) * 1000)
            else:
                self.errors += 1

    def finish(self, seconds: float) -> Result:
        self.stopping.set()
        self.join(timeout=60)
        return Result("writes (comments, reports)", self.latencies, seconds, self.errors)


# --- Reporting -----------------------------------------------------------------------------------


def row(result: Result, floor: float | None = None) -> str:
    values = result.latencies
    ratio = f"{result.throughput / floor:6.2f}" if floor else "      "
    return (
        f"{result.name:30s} {len(values):6d} {result.errors:5d} "
        f"{percentile(values, 0.5):7.1f} {percentile(values, 0.95):7.1f} "
        f"{percentile(values, 0.99):7.1f} {result.throughput:8.1f} {ratio}"
    )


HEADER = (
    f"{'page':30s} {'count':>6s} {'errs':>5s} {'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s} "
    f"{'req/s':>8s} {'/floor':>6s}"
)


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "vpi_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            if fetch(port, Request("GET", "/healthz/")) == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not answer on /healthz/.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=float, default=1.0, help="seed_scale factor (1 = full)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument(
        "--seconds", type=float, default=12.0, help="time each page is measured alone"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="pieces each page's time is cut into, each followed by a piece of floor",
    )
    parser.add_argument("--mix-seconds", type=float, default=40.0, help="length of the mix")
    parser.add_argument("--max-requests", type=int, default=20000, help="cap per phase")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="vpi_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis URL (a db of its own)")
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing database")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--writes-per-second",
        type=float,
        default=1.0,
        help="comments and progress reports sent during the mix",
    )
    parser.add_argument(
        "--page",
        action="append",
        dest="only",
        metavar="WORDS",
        help="measure only the pages whose name contains WORDS (repeatable; the mix is skipped)",
    )
    options = parser.parse_args()

    env = bench_env(database=options.database, server=options.server, redis=options.redis)
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
    manage(env, "collectstatic", "--noinput", "-v0")
    flush_redis(options.redis)
    floor, pages, writes = build_pages(env)
    if options.only:
        pages = [page for page in pages if any(words in page.name for words in options.only)]
        if not pages:
            raise SystemExit(f"No page's name contains {' or '.join(options.only)}.")
    print(
        f"gunicorn: {options.workers} sync workers; {options.clients} concurrent clients in "
        f"{options.processes} processes; each page {options.seconds:g} s without the "
        f"visitors' page cache and with Django's cache emptied before each of its "
        f"{options.rounds} rounds, then {options.seconds:g} s with caching as shipped."
    )
    context = multiprocessing.get_context("fork")
    solo: dict[str, list[tuple[Result, float]]] = {mode: [] for mode in MODES}
    phase = {
        "clients": options.clients,
        "processes": options.processes,
        "limit": options.max_requests,
    }
    with context.Pool(options.processes) as pool:
        for mode in MODES:
            # The first column's server keeps no visitor's page (PORTAL_PAGE_CACHE_SECONDS=0);
            # fragments and counts are cached as shipped but start empty in each round.
            server_env = {**env, "PORTAL_PAGE_CACHE_SECONDS": "0"} if mode == "empty" else env
            server = start_gunicorn(server_env, options.port, options.workers)
            try:
                # Warm every worker's connections, then start from empty caches.
                run_phase(pool, options.port, [floor, *pages], seconds=3, **phase)
                flush_redis(options.redis)
                print(
                    f"\n{MODES[mode][2].capitalize()}, each page in {options.rounds} rounds "
                    "between rounds of the floor:"
                )
                print(f"{'':8s}" + HEADER)
                floors: list[Result] = []

                def measure(page: Page) -> Result:
                    piece = options.seconds / options.rounds
                    return run_phase(pool, options.port, [page], seconds=piece, **phase)[page.name]

                floors.append(measure(floor))
                for page in pages:
                    if mode == "cached":
                        # Visitors have been before: every public address once, untimed.
                        warm(options.port, [page], options.clients)
                    # floor, page, floor, page, ... floor: the page's rounds and the floors
                    # around them, so that a drift of the machine's speed weighs on both alike.
                    around = [floors[-1]]
                    rounds = []
                    for _ in range(options.rounds):
                        if mode == "empty":
                            flush_redis(
                                options.redis
                            )  # Django's cache (sessions are in the database)
                        rounds.append(measure(page))
                        around.append(measure(floor))
                    floors.extend(around[1:])
                    result = combined(page.name, rounds)
                    floor_throughput = combined(floor.name, around).throughput
                    solo[mode].append((result, floor_throughput))
                    print(f"{mode:8s}" + row(result, floor_throughput))
                print(f"{'':8s}" + row(combined(floor.name, floors)))

                if mode == "cached" and not options.only:
                    warm(options.port, pages, options.clients)
                    print(
                        f"\nThe mix, {options.mix_seconds:g} s, caching as shipped, with "
                        f"{options.writes_per_second:g} writes a second (comments on roadmaps, "
                        "progress reports) besides the registrations:"
                    )
                    print(HEADER)
                    writer = Writer(options.port, writes, options.writes_per_second)
                    writer.start()
                    mix = run_phase(
                        pool, options.port, [floor, *pages], seconds=options.mix_seconds, **phase
                    )
                    written = writer.finish(mix[floor.name].seconds)
                    total = Result(
                        "all pages",
                        [v for r in mix.values() for v in r.latencies],
                        next(iter(mix.values())).seconds,
                        sum(r.errors for r in mix.values()),
                    )
                    for result in mix.values():
                        print(row(result))
                    print(row(written))
                    print(row(total))
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
                flush_redis(options.redis)
    if not options.keep_db:
        drop_database(server=options.server, database=options.database)

    for mode, (p95_target, ratio_target, label) in MODES.items():
        print(
            f"\nTargets {label}: p95 under {p95_target:g} ms; throughput at least "
            f"{ratio_target:g} of the floor's."
        )
        for result, floor_throughput in solo[mode]:
            p95 = percentile(result.latencies, 0.95)
            ratio = result.throughput / floor_throughput if floor_throughput else 0
            verdict = "met" if p95 < p95_target and ratio >= ratio_target else "NOT met"
            print(f"  {result.name:30s} p95 {p95:6.1f} ms, ratio {ratio:4.2f}: {verdict}")


if __name__ == "__main__":
    main()
