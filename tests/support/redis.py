"""The machine's real Redis for the tests that need one (never a mock): the database number
REDIS_TEST_URL names (default 5), keys each test makes unique."""

import os

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")


def redis_caches() -> dict:
    """CACHES with the real Redis as the default cache, as settings.py builds it from REDIS_URL."""
    return {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_TEST_URL}}
