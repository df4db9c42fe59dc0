"""A Redis that accepts connections and never answers holds up one cache call, not all of
them: after a timeout the cache skips Redis for a while and answers from process memory."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.test_settings import PRODUCTION, manage
from vpi_portal import cache as resilient
from vpi_portal.cache import ResilientRedisCache


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A server on 127.0.0.1 that accepts every connection and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def cache_on(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {"KEY_PREFIX": "t", "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.2}},
    )


def timed(call) -> tuple[object, float]:
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def test_after_a_timeout_the_next_cache_calls_skip_the_hung_redis(hung_redis):
    cache = cache_on(hung_redis)
    value, first = timed(lambda: cache.get("missing", "default"))
    assert value == "default"
    assert first >= 0.2  # the first call waited for its timeout
    _, second = timed(lambda: cache.set("key", "value", 30))
    value, third = timed(lambda: cache.get("key"))
    assert value == "value"  # from process memory
    assert second < 0.05, f"{second * 1000:.1f} ms"
    assert third < 0.05, f"{third * 1000:.1f} ms"


def test_every_thread_of_the_process_skips_the_hung_redis(hung_redis):
    """Django builds one cache object per thread: the breaker is the process's."""
    cache_on(hung_redis).get("key")
    durations: list[float] = []
    thread = threading.Thread(
        target=lambda: durations.append(timed(lambda: cache_on(hung_redis).get("key"))[1])
    )
    thread.start()
    thread.join()
    assert durations[0] < 0.05, f"{durations[0] * 1000:.1f} ms"


def test_redis_is_tried_again_after_the_pause(hung_redis, monkeypatch):
    monkeypatch.setattr(resilient, "SKIP_SECONDS", 0.3)
    cache = cache_on(hung_redis)
    cache.get("key")
    assert timed(lambda: cache.get("key"))[1] < 0.05
    time.sleep(0.35)
    assert timed(lambda: cache.get("key"))[1] >= 0.2  # tried Redis, which still hangs


def test_the_portal_gives_redis_a_short_timeout():
    """What the settings give the cache when REDIS_URL is set, in a fresh process."""
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['OPTIONS'])",
        **PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "{'socket_connect_timeout': 0.25, 'socket_timeout': 0.5}"
    )
