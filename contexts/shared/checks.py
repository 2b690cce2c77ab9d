"""`manage.py check`: the timings the event machinery relies on (NOTES.md, django-q2)."""

from django.conf import settings
from django.core import checks


@checks.register()
def event_timings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    cluster = settings.Q_CLUSTER
    found = []
    if cluster["timeout"] >= cluster["retry"]:
        found.append(
            checks.Error(
                "Q_CLUSTER timeout must be smaller than retry: a task still running at `retry` is "
                "handed out again.",
                id="shared.E001",
            )
        )
    if cluster["retry"] + cluster["timeout"] >= settings.EVENT_DELIVERY_LEASE_SECONDS:
        found.append(
            checks.Warning(
                "EVENT_DELIVERY_LEASE_SECONDS should exceed Q_CLUSTER retry + timeout: the sweeper "
                "would dispatch again tasks the broker still holds.",
                id="shared.W001",
            )
        )
    return found
