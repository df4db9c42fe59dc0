"""A Redis cache that keeps the portal up when Redis is not.

The cache holds only what can be rebuilt: rate-limit counters and cached fragments. When
Redis cannot be reached, each operation falls back to a cache in the process's own memory
and the outage is logged. The choice is deliberate: sign-in and sign-up keep working and
their rate limits keep being enforced, per web process instead of across all of them,
rather than either failing every request (fail closed) or dropping the limits (fail open).

A Redis that accepts connections but does not answer costs each operation its whole socket
timeout. After such a timeout the cache skips Redis for ``SKIP_SECONDS`` (a circuit breaker,
shared by every thread of the process) and answers from process memory at once; the first
operation after that tries Redis again.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# What a Redis that hangs raises: redis-py's timeout, or the socket's own.
HUNG = (RedisTimeoutError, TimeoutError)
SKIP_SECONDS = 30.0
OPERATIONS = [
    "get",
    "set",
    "add",
    "touch",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "has_key",
    "incr",
    "decr",
    "clear",
]


class CircuitBreaker:
    """Whether to skip a server for a while after it timed out. Django builds one cache
    object per thread; the breaker is shared by every thread of the process."""

    def __init__(self) -> None:
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, seconds: float) -> None:
        with self._lock:
            self._open_until = time.monotonic() + seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(server: str) -> CircuitBreaker:
    with _breakers_lock:
        return _breakers.setdefault(server, CircuitBreaker())


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"redis-fallback-{server}", {"KEY_PREFIX": params.get("KEY_PREFIX", "")}
        )
        self.breaker = breaker_for(server)


def _with_fallback(name: str) -> Callable[..., Any]:
    redis_operation = getattr(RedisCache, name)

    @functools.wraps(redis_operation)
    def operation(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        if self.breaker.is_open():
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            return redis_operation(self, *args, **kwargs)
        except UNAVAILABLE as error:
            if isinstance(error, HUNG):
                self.breaker.trip(SKIP_SECONDS)
                logger.warning(
                    "Redis timed out during cache.%s: using process memory for %g s.",
                    name,
                    SKIP_SECONDS,
                )
            else:
                logger.warning("Redis unavailable during cache.%s: using process memory.", name)
            return getattr(self.fallback, name)(*args, **kwargs)

    return operation


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _with_fallback(_name))
