"""Adapters of time and of the shared cache."""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from contexts.identity.domain.ports import Clock, RateLimiter


class DjangoClock(Clock):
    def now(self) -> datetime:
        return timezone.now()


class CacheRateLimiter(RateLimiter):
    """`cache.add` is atomic in Redis (SET NX) and in the local-memory cache: of two
    concurrent requests exactly one gets the key."""

    def acquire(self, key: str, seconds: int) -> bool:
        return bool(cache.add(key, 1, seconds))

    def release(self, key: str) -> None:
        cache.delete(key)
