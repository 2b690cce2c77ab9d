"""The event machinery of DESIGN.md: outbox -> signal after commit -> one django-q2 task per relay
batch -> idempotent handling, in batches (a task also takes other deliveries waiting for their
tasks; a handler's batch form takes all its events at once) -> retries -> failures in the admin.

Two moments (DESIGN.md "Domain events", 6): a handler subscribed `in_transaction` runs inside
the publishing transaction, when the event reaches the outbox (its failure fails the use case);
every other handler runs after commit, through the queue. The queue carries batches: a task
names the deliveries of the events one transaction committed (DESIGN.md "Domain events", 7:
the cost of handling is per event, not per event x handler x queue round trip)."""

import functools
import importlib
import logging
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django_q.tasks import async_task

from contexts.shared.adapters.transactions import handler_savepoint
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery, OutboxEvent

log = logging.getLogger(__name__)

DELIVER_TASK = "contexts.shared.tasks.deliver_events"
# At most this many deliveries per task: a long batch would hold a worker past its timeout.
BATCH_SIZE = 100
# A task also takes up to this many other deliveries waiting for their tasks (deliver_batch).
STEAL = 200

# Sent once per outbox event when it is relayed; each after-commit subscription answers with
# its handler's dotted path when it takes the event, and gets an `EventDelivery` row.
event_committed = Signal()


# event type -> handlers run inside the publishing transaction
_in_transaction: dict[str, list[str]] = {}
# handler -> its batch form: the same effect for a list of events at once
_batch_forms: dict[str, str] = {}
# handlers that wait on a remote service (deliver_batch gives each a transaction of its own)
_calling_out: set[str] = set()


def subscribe(
    event_type: str, handler: str, *, in_transaction: bool = False, batch: str = "", calls_out: bool = False
) -> None:
    """Run `handler` (a dotted path, so the publisher never imports it) for every `event_type`:
    after commit through the queue, or `in_transaction` when the publisher's very next request
    relies on its effect. Called from a context's subscribers.py, imported by its AppConfig.ready().

    `batch` names the handler's batch form (after commit only): a function taking a list of
    events whose effect is that of `handler` run on each in turn. A task calls it once for all
    the handler's deliveries it holds, a lone one too; should it raise for several, each event
    is handled alone, so a failing event fails alone.

    `calls_out`: the handler waits on a remote service (WeChat): it runs in a transaction of
    its own, so that the rows the other handlers write (a hot goods item's sales) are not held
    while it waits."""
    if in_transaction:
        handlers = _in_transaction.setdefault(event_type, [])
        if handler not in handlers:
            handlers.append(handler)
        return
    if batch:
        _batch_forms[handler] = batch
    if calls_out:
        _calling_out.add(handler)

    def receiver(sender, event: DomainEvent, **_kwargs) -> str | None:
        return handler if event.event_type == event_type else None

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
    """Claim the undispatched events among `event_ids`, send each as a signal, record a
    delivery per answering handler and queue them in batches, in one transaction: if the
    enqueue fails, the rows stay undispatched and the sweeper tries again. Rows another relay
    holds right now are skipped (it is relaying them)."""
    with transaction.atomic():
        claimed = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(event_ids), dispatched_at__isnull=True)
            .order_by("created_at")
        )
        if not claimed:
            return 0
        now = timezone.now()
        OutboxEvent.objects.filter(pk__in=[row.pk for row in claimed]).update(dispatched_at=now)
        lease_end = _lease_end(now)
        deliveries = [
            EventDelivery(event_id=row.event_id, handler=handler, next_attempt_at=lease_end)
            for row in claimed
            for _receiver, handler in event_committed.send(sender=OutboxEvent, event=to_event(row))
            if handler
        ]
        if not deliveries:
            return len(claimed)
        # A delivery that exists already (an event relayed again by hand) is left as it is: the
        # no-op update makes the insert return its id too, and a task skips it unless pending.
        EventDelivery.objects.bulk_create(
            deliveries, update_conflicts=True, unique_fields=["event", "handler"], update_fields=["handler"]
        )
        _enqueue([(delivery.event_id, delivery.pk) for delivery in deliveries])
    return len(claimed)


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


def _enqueue(deliveries: list[tuple]) -> None:
    """Queue (event id, delivery id) pairs as tasks of whole events, at most BATCH_SIZE
    deliveries each (an event with more gets a task of its own). A task's success is its
    deliveries' state, so django-q2 keeps no result row of it (its failures it keeps)."""
    per_event: dict = {}
    for event_id, pk in deliveries:
        per_event.setdefault(event_id, []).append(pk)
    batch: list[list[int]] = []
    for group in per_event.values():
        if batch and sum(map(len, batch)) + len(group) > BATCH_SIZE:
            _enqueue_task(batch)
            batch = []
        batch.append(sorted(group))
    if batch:
        _enqueue_task(batch)


def _enqueue_task(batch: list[list[int]]) -> None:
    first, count = batch[0][0], sum(map(len, batch))
    async_task(DELIVER_TASK, batch, task_name=f"deliveries {first}+{count - 1}", save=False)


def deliver(*, event_id: str, handler: str) -> str:
    """Run one handler for one event (an operator's or a test's call): its status afterwards.
    It waits for a task handling that delivery right now, and takes no other delivery."""
    pk = EventDelivery.objects.filter(event_id=event_id, handler=handler).values_list("pk", flat=True).first()
    return "missing" if pk is None else deliver_batch([[pk]], steal=0)[pk]


def deliver_batch(batch: Iterable[Iterable[int]], *, steal: int = STEAL) -> dict[int, str]:
    """Run a task's deliveries (`batch` lists the delivery ids of each event) and, with `steal`,
    up to that many others waiting for their tasks (work-stealing: a backlog is handled in few
    transactions; the later tasks find their deliveries done). One transaction for the handlers
    that only write this database, one for each that calls out (`subscribe(calls_out=True)`), so
    it holds no row the others wrote while it waits; in it, each handler's batch form in a
    savepoint (see _run_handler); the `done` marks in one UPDATE, in the transaction of their
    effects. {delivery id: status afterwards} of the deliveries named and taken (a named one
    another task holds right now is left to it: absent)."""
    named = sorted({pk for delivery_ids in batch for pk in delivery_ids})
    outcome: dict[int, str] = {}
    now = timezone.now()
    # Plain reads, outside any transaction: which deliveries to try, by handler (a task whose
    # deliveries another task took ends here when none waits).
    handlers: dict[str, set[int]] = {}
    for pk, status, handler in (
        EventDelivery.objects.filter(pk__in=named).order_by().values_list("pk", "status", "handler")
    ):
        if status == EventDelivery.Status.PENDING or not steal:
            handlers.setdefault(handler, set()).add(pk)
        else:
            outcome[pk] = status
    if steal:
        waiting = EventDelivery.objects.filter(_waiting_condition(now), status=EventDelivery.Status.PENDING)
        for pk, handler in waiting.order_by("pk").values_list("pk", "handler")[:steal]:
            handlers.setdefault(handler, set()).add(pk)
    # One transaction for the handlers that only write this database, then one for each that
    # calls out; in each, the handlers in name order: two tasks write shared rows in one order.
    local = sorted(handler for handler in handlers if handler not in _calling_out)
    remote = sorted(handler for handler in handlers if handler in _calling_out)
    groups = ([local] if local else []) + [[handler] for handler in remote]
    for group in groups:
        pks = sorted(set().union(*(handlers[handler] for handler in group)))
        with transaction.atomic():
            claimed = _claim(pks, named, steal, now, outcome)
            done = []
            for handler in group:
                deliveries = [delivery for delivery in claimed if delivery.handler == handler]
                done += _run_handler(handler, deliveries, now, outcome) if deliveries else []
            if done:
                EventDelivery.objects.filter(pk__in=done).update(
                    status=EventDelivery.Status.DONE,
                    attempts=F("attempts") + 1,
                    handled_at=now,
                    next_attempt_at=None,
                    last_error="",
                    updated_at=now,
                )
    return outcome


def _waiting_condition(now: datetime) -> Q:
    """Never attempted (their task still queued or gone: a dead cluster's are pending again) or
    due (their backoff or lease is over); never one backing off after a failure."""
    return Q(attempts=0) | Q(next_attempt_at__lte=now)


def _claim(
    pks: list[int], named: list[int], steal: int, now: datetime, outcome: dict[int, str]
) -> list[EventDelivery]:
    """Lock those of `pks` still to run, in id order: the task's own if pending, others only if
    still waiting. A task that steals takes nothing another transaction holds (skip locked) and
    so never waits; without stealing it waits for the holder and then sees what the holder
    left. One statement locks the deliveries (not their events) and reads them with their events."""
    locking = EventDelivery.objects.select_for_update(skip_locked=steal > 0, of=("self",))
    rows = locking.select_related("event").filter(Q(pk__in=named) | _waiting_condition(now), pk__in=pks)
    mine, claimed = set(named), []
    for delivery in rows.order_by("pk"):
        if delivery.status == EventDelivery.Status.PENDING:
            claimed.append(delivery)
        elif delivery.pk in mine:
            outcome[delivery.pk] = delivery.status
    return claimed


def _run_handler(
    handler: str, deliveries: list[EventDelivery], now: datetime, outcome: dict[int, str]
) -> list[int]:
    """The ids done: all at once through the batch form when the handler has one (also for a
    lone delivery: its effect is the handler's, for fewer statements), else (or when a batch of
    several failed) one by one, each failure recorded for its delivery alone."""
    batch_form = _batch_forms.get(handler)
    if batch_form:
        try:
            with handler_savepoint():
                resolve(batch_form)([to_event(delivery.event) for delivery in deliveries])
        except Exception:
            if len(deliveries) == 1:
                return _failed(deliveries[0], now, outcome)
            log.warning(
                "batch handler %s failed for %d events: one by one",
                batch_form,
                len(deliveries),
                exc_info=True,
            )
        else:
            outcome.update(dict.fromkeys((delivery.pk for delivery in deliveries), EventDelivery.Status.DONE))
            return [delivery.pk for delivery in deliveries]
    done = []
    for delivery in deliveries:
        try:
            with handler_savepoint():
                resolve(delivery.handler)(to_event(delivery.event))
        except Exception:
            _failed(delivery, now, outcome)
        else:
            done.append(delivery.pk)
            outcome[delivery.pk] = EventDelivery.Status.DONE
    return done


def _failed(delivery: EventDelivery, now: datetime, outcome: dict[int, str]) -> list[int]:
    """Log the failure being handled and record it: the delivery's next attempt after its
    backoff, or failed for good. No id is done."""
    log.exception("event handler %s failed for event %s", delivery.handler, delivery.event_id)
    delivery.attempts += 1
    delivery.last_error = traceback.format_exc()[-4000:]
    if delivery.attempts >= settings.EVENT_HANDLER_MAX_ATTEMPTS:
        delivery.status = EventDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        backoff = settings.EVENT_RETRY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = now + timedelta(seconds=backoff)
    delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "updated_at"])
    outcome[delivery.pk] = delivery.status
    return []


def batch_form(handler: str) -> str:
    """The dotted path of `handler`'s batch form; "" when it has none."""
    return _batch_forms.get(handler, "")


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
    relayed = relay(stale) if stale else 0
    with transaction.atomic():
        # Locking the due rows claims them: a second sweeper skips them, and after this
        # transaction their next attempt time is no longer due.
        due = list(
            EventDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=EventDelivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", "dispatches", "event_id")[:500]
        )
        limit = settings.EVENT_HANDLER_MAX_ATTEMPTS
        lost = [pk for pk, dispatches, _event in due if dispatches > limit]
        retried = [(event_id, pk) for pk, dispatches, event_id in due if dispatches <= limit]
        EventDelivery.objects.filter(pk__in=lost).update(
            status=EventDelivery.Status.FAILED,
            next_attempt_at=None,
            last_error="Dispatched without an outcome every time: its task was lost.",
            updated_at=now,
        )
        EventDelivery.objects.filter(pk__in=[pk for _event, pk in retried]).update(
            next_attempt_at=_lease_end(now), dispatches=F("dispatches") + 1, updated_at=now
        )
        _enqueue(retried)
    return {"relayed": relayed, "retried": len(retried)}


def retry_deliveries(*, delivery_ids: Iterable[int]) -> int:
    """An operator's retry of failed deliveries: a fresh round of attempts."""
    with transaction.atomic():
        failed = list(
            EventDelivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids), status=EventDelivery.Status.FAILED)
            .order_by("pk")
            .values_list("event_id", "pk")
        )
        now = timezone.now()
        EventDelivery.objects.filter(pk__in=[pk for _event, pk in failed]).update(
            status=EventDelivery.Status.PENDING,
            attempts=0,
            dispatches=1,
            next_attempt_at=_lease_end(now),
            updated_at=now,
        )
        _enqueue(failed)
    return len(failed)


def failed_count() -> int:
    """Deliveries that used up their attempts and wait for an operator's retry (dashboard)."""
    return EventDelivery.objects.filter(status=EventDelivery.Status.FAILED).count()
