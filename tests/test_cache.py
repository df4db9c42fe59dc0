import pytest

from tests.support.smtp_sink import free_port
from vpi_portal.cache import ResilientRedisCache


@pytest.fixture
def unreachable_cache():
    # Nothing listens on this port: every Redis call fails at once.
    return ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"KEY_PREFIX": "t", "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )


def test_reads_miss_and_writes_land_in_process_memory_when_redis_is_down(unreachable_cache):
    assert unreachable_cache.get("missing", "default") == "default"
    unreachable_cache.set("key", "value", 30)
    assert unreachable_cache.get("key") == "value"


def test_locks_still_exclude_each_other_when_redis_is_down(unreachable_cache):
    """Rate limits (allauth takes a cache lock) keep working within the process."""
    assert unreachable_cache.add("lock", True, 10) is True
    assert unreachable_cache.add("lock", True, 10) is False
    unreachable_cache.delete("lock")
    assert unreachable_cache.add("lock", True, 10) is True
