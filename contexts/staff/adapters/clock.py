from datetime import datetime

from django.utils import timezone

from contexts.shared.domain.ports import Clock


class DjangoClock(Clock):
    def now(self) -> datetime:
        return timezone.localtime()
