"""The throttles of API.md's conventions: THROTTLE_LOGIN per client address, THROTTLE_ORDERS and
THROTTLE_PAY per user; over the rate, 429 `throttled` with Retry-After (bff/errors.py).

The counts live in the default cache: Redis when REDIS_URL is set, so every web process shares
them; a local-memory cache per process otherwise. DRF's own SimpleRateThrottle keeps a list of
timestamps that it reads and writes back (two round trips, and two processes reading the same
list both let a request through); here each client has one counter per fixed window, raised
atomically (INCR): one round trip on the hot POST /orders and an exact count across processes.
The price of a fixed window is that a client may spend one window's allowance at its end and the
next one's at the start of the next.

A throttle fails open: if the cache cannot be reached, the request goes through (and a warning
is logged at most every WARN_EVERY_SECONDS per process) rather than every request failing."""

import logging
import math
import time

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

log = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 10
IDENT_MAX = 64  # an address fits; a forged X-Forwarded-For does not make the key long
_last_warning = -math.inf


class WindowRateThrottle(SimpleRateThrottle):
    """`scope`'s rate (DEFAULT_THROTTLE_RATES, read when the request comes, so a test may
    override it) over `methods`; the count of the current window in the cache."""

    methods = frozenset({"POST"})

    def timer(self) -> float:
        # Looked up at each call: DRF's `timer = time.time` keeps whatever time.time was when
        # the module was first imported (a test's patched clock, for the rest of the run).
        return time.time()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request, view):
        ident = self.ident(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": str(ident)[:IDENT_MAX]}

    def allow_request(self, request, view):
        if request.method not in self.methods:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        try:
            count = self._count(f"{key}:{window}")
        except Exception:
            _warn_unreachable()
            return True
        return count <= self.num_requests

    def _count(self, key: str) -> int:
        """This request's number in the window: INCR of the window's key, created on the
        window's first request (`add` is atomic: of two first requests one creates it)."""
        try:
            return self.cache.incr(key)
        except ValueError:  # no such key: the window's first request
            if self.cache.add(key, 1, math.ceil(self.window_end - self.now) + 1):
                return 1
            return self.cache.incr(key)

    def wait(self):
        return max(1, math.ceil(self.window_end - self.now))


class LoginThrottle(WindowRateThrottle):
    """POST /auth/wechat-login per client address (REMOTE_ADDR, or the address NUM_PROXIES
    proxies put in X-Forwarded-For)."""

    scope = "login"

    def ident(self, request):
        return self.get_ident(request)


class UserThrottle(WindowRateThrottle):
    def ident(self, request):
        return getattr(request.user, "id", None)


class OrderPlacingThrottle(UserThrottle):
    """POST /orders (placing an order or joining a solitaire) per user; reading them is free."""

    scope = "orders"


class PaymentThrottle(UserThrottle):
    """POST /orders/{id}/pay per user."""

    scope = "pay"


def client_address(request) -> str:
    """The client's address as the login throttle sees it (REMOTE_ADDR, or the address NUM_PROXIES
    proxies put in X-Forwarded-For): the admin's login protection counts failures by it too
    (AXES_CLIENT_IP_CALLABLE), so that behind a proxy it does not lock out every operator at once."""
    return BaseThrottle().get_ident(request)


def _warn_unreachable() -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        log.warning("throttle: the cache cannot be reached; requests go through unthrottled", exc_info=True)
