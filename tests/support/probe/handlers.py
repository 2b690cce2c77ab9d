import os
import time

from django.conf import settings

from contexts.shared.domain.events import DomainEvent
from tests.support.probe.models import ProbeEffect


def _record(event: DomainEvent, handler: str) -> None:
    ProbeEffect.objects.create(event_id=event.event_id, handler=handler, pid=os.getpid())
    # Some work, so that a cluster killed mid-run holds tasks in every stage.
    time.sleep(settings.PROBE_HANDLER_SECONDS)


def record_a(event: DomainEvent) -> None:
    _record(event, "a")


def record_b(event: DomainEvent) -> None:
    _record(event, "b")
