"""The shared cache as the SMS rate limiter."""

from django.core.cache import cache

from contexts.identity.domain.ports import RateLimiter


class CacheRateLimiter(RateLimiter):
    """`cache.add` is atomic in Redis (SET NX) and in the local-memory cache: of two
    concurrent requests exactly one gets the key."""

    def acquire(self, key: str, seconds: int) -> bool:
        return bool(cache.add(key, 1, seconds))

    def release(self, key: str) -> None:
        cache.delete(key)
