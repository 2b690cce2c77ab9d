import os

import pytest
from django.core.cache import cache

# Benchmarks are not part of the default run: `make bench` runs them with BENCH=1.
collect_ignore = [] if os.environ.get("BENCH") else ["benchmarks"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class CommittingClient:
    """Mixin for DRF's APIClient: each request ends like a real one — its on_commit callbacks
    (the event relay, and through it the inline django-q2 tasks) run before the response
    is returned, even inside pytest-django's per-test transaction."""

    def request(self, *args, **kwargs):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(*args, **kwargs)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    client_class = type("CommittingAPIClient", (CommittingClient, APIClient), {})
    return client_class()


@pytest.fixture
def vendors(settings, tmp_path):
    """Fake WeChat, WeChat Pay and Tencent Cloud SMS servers on 127.0.0.1, and the settings of
    production (GROUPBUY_SANDBOX off) pointed at them."""
    from tests.support.vendors import production_vendors

    with production_vendors(settings, tmp_path) as fakes:
        yield fakes


@pytest.fixture
def time_machine(monkeypatch):
    from tests.support.time_machine import TimeMachine

    return TimeMachine(monkeypatch)


@pytest.fixture
def redis_cache(settings):
    """The real Redis as the default cache for one test, as with REDIS_URL (tests/support/redis.py).
    Never cleared whole: each test's keys are its own (its users' ids, its addresses)."""
    import redis

    from tests.support.redis import REDIS_TEST_URL, redis_caches

    redis.Redis.from_url(REDIS_TEST_URL).ping()
    settings.CACHES = redis_caches()
    return cache


@pytest.fixture
def throttle_rates(settings):
    """`throttle_rates(login="3/hour", ...)`: DEFAULT_THROTTLE_RATES for one test."""

    def set_rates(**rates: str) -> None:
        current = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**current, **rates},
        }

    return set_rates
