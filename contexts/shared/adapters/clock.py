from datetime import datetime

from django.utils import timezone

from contexts.shared.domain.ports import Clock


class DjangoClock(Clock):
    """Aware local time (Asia/Shanghai), so ISO strings in events carry +08:00."""

    def now(self) -> datetime:
        return timezone.localtime()
