"""The SMS limit shared by several web processes: the rate limiter against the real Redis."""

import threading
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

from contexts.identity.adapters.runtime import CacheRateLimiter

REDIS = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}}


@override_settings(CACHES=REDIS)
def test_of_many_concurrent_requests_for_one_phone_exactly_one_gets_a_code():
    # given one key and twenty requests racing for it, as from several web processes
    key = f"sms:test:{uuid.uuid4()}"
    limiter = CacheRateLimiter()
    barrier = threading.Barrier(20)
    granted: list[bool] = []

    def request():
        barrier.wait()
        granted.append(limiter.acquire(key, 60))

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert granted.count(True) == 1
    assert 0 < cache.ttl(key) <= 60
    limiter.release(key)
    assert limiter.acquire(key, 60) is True
    cache.delete(key)


@pytest.fixture(autouse=True)
def _redis_is_there():
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/14").ping()
