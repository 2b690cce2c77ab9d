"""Retention: the outbox, the delivery records and django-q2's task results grow with every
event. The `events.prune` schedule removes what is older than EVENT_RETENTION_DAYS in bounded
batches, so the sweeper's and the relay's tables stay small however many orders a month.

- done deliveries handled before the cutoff; failed and pending ones stay until handled;
- outbox events dispatched before the cutoff with no delivery left (an event with a failed or
  pending delivery stays: a retry needs its payload);
- django-q2's task results (successes and failures) that stopped before the cutoff.

Each batch is one short transaction; a run stops after its time budget and the next one goes
on from there."""

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_q.models import Task

from contexts.shared.models import EventDelivery, OutboxEvent


def prune(
    *, now: datetime | None = None, batch: int | None = None, budget_seconds: float | None = None
) -> dict:
    """{what: rows removed} for deliveries, events and task results older than the retention."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EVENT_RETENTION_DAYS)
    batch = batch or settings.EVENT_PRUNE_BATCH
    budget = budget_seconds if budget_seconds is not None else settings.Q_CLUSTER["timeout"] * 0.75
    deadline = time.monotonic() + budget
    removed = {}
    steps: dict[str, Callable[[datetime, int], int]] = {
        "deliveries": _done_deliveries,
        "events": _events_without_deliveries,
        "task_results": _task_results,
    }
    for name, step in steps.items():
        removed[name] = 0
        while time.monotonic() < deadline:
            count = step(cutoff, batch)
            removed[name] += count
            if count < batch:
                break
    return removed


def _done_deliveries(cutoff: datetime, batch: int) -> int:
    pks = list(
        EventDelivery.objects.filter(status=EventDelivery.Status.DONE, handled_at__lt=cutoff)
        .order_by("handled_at")
        .values_list("pk", flat=True)[:batch]
    )
    return EventDelivery.objects.filter(pk__in=pks).delete()[0] if pks else 0


def _events_without_deliveries(cutoff: datetime, batch: int) -> int:
    pks = list(
        OutboxEvent.objects.filter(dispatched_at__lt=cutoff)
        .filter(~Exists(EventDelivery.objects.filter(event=OuterRef("pk"))))
        .order_by("dispatched_at")
        .values_list("pk", flat=True)[:batch]
    )
    if not pks:
        return 0
    # A dispatched event never gets a delivery again (the relay claims undispatched ones only).
    return OutboxEvent.objects.filter(pk__in=pks).delete()[1].get(OutboxEvent._meta.label, 0)


def _task_results(cutoff: datetime, batch: int) -> int:
    old = Task.objects.filter(stopped__lt=cutoff).order_by("stopped")
    pks = list(old.values_list("pk", flat=True)[:batch])
    return Task.objects.filter(pk__in=pks).delete()[0] if pks else 0
