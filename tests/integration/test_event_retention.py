"""Issue 14 item 7: the `events.prune` schedule removes done deliveries, dispatched events and
django-q2's task results older than EVENT_RETENTION_DAYS, in bounded batches; failed and
pending deliveries (and their events) stay until handled."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import Schedule, Task

from contexts.shared import retention
from contexts.shared.models import EventDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()
OLD = NOW - timedelta(days=31)
RECENT = NOW - timedelta(days=29)


def event(name: str, *, dispatched_at=OLD) -> OutboxEvent:
    return OutboxEvent.objects.create(
        event_id=uuid.uuid5(uuid.NAMESPACE_OID, name),
        event_type="ThingNamed",
        aggregate_type="Thing",
        aggregate_id=name,
        payload={"name": name},
        occurred_at=OLD,
        dispatched_at=dispatched_at,
    )


def delivery(of: OutboxEvent, handler: str, status: str, handled_at=None) -> EventDelivery:
    return EventDelivery.objects.create(event=of, handler=handler, status=status, handled_at=handled_at)


def task_result(name: str, *, success: bool, stopped) -> None:
    Task.objects.create(
        id=uuid.uuid4().hex,
        name=name,
        func="contexts.shared.tasks.sweep_events",
        started=stopped,
        stopped=stopped,
        success=success,
    )


@pytest.fixture
def history():
    # an old event whose two deliveries were done long ago: all three go
    gone = event("gone")
    delivery(gone, "a", "done", OLD)
    delivery(gone, "b", "done", OLD - timedelta(days=3))
    # an old event: one delivery done long ago (goes), one failed (stays, with its event)
    half = event("half")
    delivery(half, "a", "done", OLD)
    delivery(half, "b", "failed")
    # an old event with a pending retry: stays whole
    waiting = event("waiting")
    delivery(waiting, "a", "pending")
    # an old event retried by an operator and done only recently: stays whole
    redone = event("redone")
    delivery(redone, "a", "done", RECENT)
    # a recent event, done recently: stays
    fresh = event("fresh", dispatched_at=RECENT)
    delivery(fresh, "a", "done", RECENT)
    # an old event no handler took: goes; an undispatched old one: stays (the sweeper's)
    event("unheard")
    event("undispatched", dispatched_at=None)
    # task results: old ones go, recent ones stay, successes and failures alike
    task_result("old success", success=True, stopped=OLD)
    task_result("old failure", success=False, stopped=OLD)
    task_result("recent success", success=True, stopped=RECENT)
    task_result("recent failure", success=False, stopped=RECENT)


def kept() -> dict:
    return {
        "events": sorted(OutboxEvent.objects.values_list("aggregate_id", flat=True)),
        "deliveries": sorted(
            EventDelivery.objects.values_list("event__aggregate_id", "handler", "status").order_by()
        ),
        "tasks": sorted(Task.objects.values_list("name", flat=True)),
    }


def test_pruning_removes_exactly_the_done_deliveries_events_and_task_results_older_than_the_retention(
    history, settings
):
    # given a retention of 30 days
    settings.EVENT_RETENTION_DAYS = 30
    # when the prune runs
    removed = retention.prune(now=NOW, batch=1000)
    # then
    assert removed == {"deliveries": 3, "events": 2, "task_results": 2}
    assert kept() == {
        "events": ["fresh", "half", "redone", "undispatched", "waiting"],
        "deliveries": [
            ("fresh", "a", "done"),
            ("half", "b", "failed"),
            ("redone", "a", "done"),
            ("waiting", "a", "pending"),
        ],
        "tasks": ["recent failure", "recent success"],
    }
    # and a second run finds nothing more
    assert retention.prune(now=NOW, batch=1000) == {"deliveries": 0, "events": 0, "task_results": 0}


def test_pruning_goes_in_batches_of_the_set_size(history, settings):
    settings.EVENT_RETENTION_DAYS = 30
    with CaptureQueriesContext(connection) as captured:
        removed = retention.prune(now=NOW, batch=2)
    deletes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DELETE")]
    assert removed == {"deliveries": 3, "events": 2, "task_results": 2}
    # deliveries 2 + 1, events 2 (each with its cascade to deliveries), task results 2
    assert len(deletes) == 2 + 2 + 1
    sizes = [len(re.search(r" IN \(([^)]*)\)", sql).group(1).split(",")) for sql in deletes]
    assert sizes == [2, 1, 2, 2, 2]


def test_a_longer_retention_keeps_more(history, settings):
    settings.EVENT_RETENTION_DAYS = 60
    assert retention.prune(now=NOW) == {"deliveries": 0, "events": 0, "task_results": 0}
    assert len(kept()["events"]) == 7


def test_a_run_out_of_time_removes_nothing_more_and_the_next_goes_on(history, settings):
    settings.EVENT_RETENTION_DAYS = 30
    assert retention.prune(now=NOW, budget_seconds=0) == {"deliveries": 0, "events": 0, "task_results": 0}
    assert retention.prune(now=NOW)["deliveries"] == 3


def test_the_prune_is_a_schedule_installed_by_migrate():
    schedule = Schedule.objects.get(name="events.prune")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "contexts.shared.tasks.prune_events",
        Schedule.MINUTES,
        10,
    )


def test_the_checks_refuse_a_timeout_past_the_retry_and_warn_of_a_short_lease(settings):
    from contexts.shared.checks import event_timings

    assert event_timings() == []
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 30, "retry": 20}
    settings.EVENT_DELIVERY_LEASE_SECONDS = 40
    assert [message.id for message in event_timings()] == ["shared.E001", "shared.W001"]
