"""The event machinery of DESIGN.md: outbox -> signal after commit -> one django-q2 task per
handler -> idempotent handling -> retries with backoff -> failures shown in the admin.

Two moments (DESIGN.md "Domain events", 6): a handler subscribed `in_transaction` runs inside
the publishing transaction, when the event reaches the outbox (its failure fails the use case);
every other handler runs after commit, through the queue."""

import functools
import importlib
import logging
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django_q.tasks import async_task

from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery, OutboxEvent

log = logging.getLogger(__name__)

DELIVER_TASK = "contexts.shared.tasks.deliver_event"

# Sent once per outbox event after its transaction committed; receivers get `event`.
event_committed = Signal()


# event type -> handlers run inside the publishing transaction
_in_transaction: dict[str, list[str]] = {}


def subscribe(event_type: str, handler: str, *, in_transaction: bool = False) -> None:
    """Run `handler` (a dotted path, so the publisher never imports it) for every `event_type`:
    after commit through the queue, or `in_transaction` when the publisher's very next request
    relies on its effect. Called from a context's subscribers.py, imported by its AppConfig.ready()."""
    if in_transaction:
        handlers = _in_transaction.setdefault(event_type, [])
        if handler not in handlers:
            handlers.append(handler)
        return

    def receiver(sender, event: DomainEvent, **_kwargs) -> None:
        if event.event_type == event_type:
            _enqueue(event.event_id, handler)

    event_committed.connect(receiver, weak=False, dispatch_uid=f"{event_type}->{handler}")


def append_to_outbox(events: Iterable[DomainEvent]) -> None:
    rows = [
        OutboxEvent(
            event_id=event.event_id,
            event_type=event.event_type,
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate_id,
            payload=event.payload,
            occurred_at=event.occurred_at,
        )
        for event in events
    ]
    if not rows:
        return
    OutboxEvent.objects.bulk_create(rows)
    for event in events:
        for handler in _in_transaction.get(event.event_type, ()):
            _handle_now(event, handler)
    ids = [row.event_id for row in rows]

    def relay_after_commit() -> None:  # a named function: Django logs a failing callback by its name
        relay(ids)

    transaction.on_commit(relay_after_commit, robust=True)


def relay(event_ids: Iterable) -> int:
    """Send each undispatched event as a signal and mark it dispatched, atomically: if the
    enqueue fails, the row stays undispatched and the sweeper tries again."""
    sent = 0
    for event_id in event_ids:
        with transaction.atomic():
            claimed = OutboxEvent.objects.filter(pk=event_id, dispatched_at__isnull=True).update(
                dispatched_at=timezone.now()
            )
            if not claimed:
                continue
            event_committed.send(sender=OutboxEvent, event=to_event(OutboxEvent.objects.get(pk=event_id)))
            sent += 1
    return sent


def to_event(row: OutboxEvent) -> DomainEvent:
    return DomainEvent(
        event_id=str(row.event_id),
        event_type=row.event_type,
        aggregate_type=row.aggregate_type,
        aggregate_id=row.aggregate_id,
        payload=row.payload,
        occurred_at=row.occurred_at,
    )


def _handle_now(event: DomainEvent, handler: str) -> None:
    """An in-transaction handler: its `(event_id, handler)` record and its effect commit (or
    roll back) with the publisher's change."""
    EventDelivery.objects.create(
        event_id=event.event_id,
        handler=handler,
        status=EventDelivery.Status.DONE,
        attempts=1,
        dispatches=1,
        handled_at=timezone.now(),
    )
    resolve(handler)(event)


def _lease_end(now: datetime) -> datetime:
    """Until when a dispatched delivery may wait for its task; past it the sweeper takes the
    task for lost (a purged queue, a dead broker) and dispatches it again."""
    return now + timedelta(seconds=settings.EVENT_DELIVERY_LEASE_SECONDS)


def _enqueue(event_id: str, handler: str) -> None:
    _delivery, created = EventDelivery.objects.get_or_create(
        event_id=event_id, handler=handler, defaults={"next_attempt_at": _lease_end(timezone.now())}
    )
    if created:
        async_task(DELIVER_TASK, str(event_id), handler, task_name=f"{handler}:{event_id}"[:100])


def deliver(*, event_id: str, handler: str) -> str:
    """Run one handler for one event; its effect and the `done` mark commit together."""
    try:
        with transaction.atomic():
            delivery = (
                EventDelivery.objects.select_for_update()
                .select_related("event")
                .get(event_id=event_id, handler=handler)
            )
            if delivery.status != EventDelivery.Status.PENDING:
                return delivery.status
            resolve(handler)(to_event(delivery.event))
            delivery.status = EventDelivery.Status.DONE
            delivery.attempts += 1
            delivery.handled_at = timezone.now()
            delivery.next_attempt_at = None
            delivery.last_error = ""
            delivery.save()
            return delivery.status
    except Exception:
        log.exception("event handler %s failed for event %s", handler, event_id)
        return _record_failure(event_id, handler, traceback.format_exc())


def _record_failure(event_id: str, handler: str, error: str) -> str:
    with transaction.atomic():
        delivery = (
            EventDelivery.objects.select_for_update().filter(event_id=event_id, handler=handler).first()
        )
        if delivery is None:
            return "missing"
        delivery.attempts += 1
        delivery.last_error = error[-4000:]
        if delivery.attempts >= settings.EVENT_HANDLER_MAX_ATTEMPTS:
            delivery.status = EventDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            backoff = settings.EVENT_RETRY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
        delivery.save()
        return delivery.status


@functools.cache
def resolve(path: str) -> Callable[[DomainEvent], None]:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def sweep(*, now: datetime | None = None) -> dict:
    """Relay events left undispatched past the grace period (a crash between commit and
    enqueue); dispatch again the pending deliveries that are due: a failure whose backoff has
    passed, or a task that never reported back within its lease (lost). A delivery dispatched
    more often than it may be attempted without ever running is shown as failed."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=settings.EVENT_SWEEP_GRACE_SECONDS)
    stale = list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True, created_at__lt=grace)
        .order_by("created_at")
        .values_list("event_id", flat=True)[:500]
    )
    relayed = relay(stale)
    due = list(
        EventDelivery.objects.filter(status=EventDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", "event_id", "handler", "next_attempt_at")[:500]
    )
    retried = 0
    for pk, event_id, handler, due_at in due:
        with transaction.atomic():
            # Moving next_attempt_at claims the retry, so two sweepers never enqueue it twice.
            claim = EventDelivery.objects.filter(
                pk=pk, next_attempt_at=due_at, status=EventDelivery.Status.PENDING
            )
            if claim.filter(dispatches__gt=settings.EVENT_HANDLER_MAX_ATTEMPTS).update(
                status=EventDelivery.Status.FAILED,
                next_attempt_at=None,
                last_error="Dispatched without an outcome every time: its task was lost.",
            ):
                continue
            if claim.update(next_attempt_at=_lease_end(now), dispatches=F("dispatches") + 1):
                async_task(DELIVER_TASK, str(event_id), handler)
                retried += 1
    return {"relayed": relayed, "retried": retried}


def retry_deliveries(*, delivery_ids: Iterable[int]) -> int:
    """An operator's retry of failed deliveries: a fresh round of attempts."""
    retried = 0
    for pk in delivery_ids:
        with transaction.atomic():
            delivery = (
                EventDelivery.objects.select_for_update()
                .filter(pk=pk, status=EventDelivery.Status.FAILED)
                .first()
            )
            if delivery is None:
                continue
            delivery.status = EventDelivery.Status.PENDING
            delivery.attempts = 0
            delivery.dispatches = 1
            delivery.next_attempt_at = _lease_end(timezone.now())
            delivery.save()
            async_task(DELIVER_TASK, str(delivery.event_id), delivery.handler)
            retried += 1
    return retried


def failed_count() -> int:
    """Deliveries that used up their attempts and wait for an operator's retry (dashboard)."""
    return EventDelivery.objects.filter(status=EventDelivery.Status.FAILED).count()
