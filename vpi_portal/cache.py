"""A Redis cache that keeps the portal up when Redis is not.

The cache holds only what can be rebuilt: rate-limit counters and cached fragments. When
Redis cannot be reached, each operation falls back to a cache in the process's own memory
and the outage is logged. The choice is deliberate: sign-in and sign-up keep working and
their rate limits keep being enforced, per web process instead of across all of them,
rather than either failing every request (fail closed) or dropping the limits (fail open).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
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


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"redis-fallback-{server}", {"KEY_PREFIX": params.get("KEY_PREFIX", "")}
        )


def _with_fallback(name: str) -> Callable[..., Any]:
    redis_operation = getattr(RedisCache, name)

    @functools.wraps(redis_operation)
    def operation(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return redis_operation(self, *args, **kwargs)
        except UNAVAILABLE:
            logger.warning("Redis unavailable during cache.%s: using process memory.", name)
            return getattr(self.fallback, name)(*args, **kwargs)

    return operation


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _with_fallback(_name))
