"""Moving the clock forward in a test."""

import time
from datetime import timedelta

from django.utils import timezone


class TimeMachine:
    """Moves `timezone.now()` and `time.time()` (the local-memory cache's expiry) forward."""

    def __init__(self, monkeypatch) -> None:
        self._monkeypatch = monkeypatch
        self._real_now = timezone.now
        self._real_time = time.time
        self.offset = timedelta(0)

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)
        offset = self.offset
        real_now, real_time = self._real_now, self._real_time
        self._monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
        self._monkeypatch.setattr(time, "time", lambda: real_time() + offset.total_seconds())
