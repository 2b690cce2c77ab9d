"""How a task's deliveries run: the handlers of the events one transaction committed in one
task, a failing handler rolling back its own effect only, the statements of a delivery, and a
handler that calls out in a transaction of its own."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.signals import pre_execute

from contexts.shared import eventbus
from contexts.shared.domain.seedwork import new_id
from contexts.shared.models import EventDelivery, OutboxEvent
from tests.support.things import HERE as THINGS
from tests.support.things import Thing, ThingsUow, handler_groups, publish_and_relay, relayed_not_delivered

pytestmark = pytest.mark.django_db

HERE = "tests.integration.test_event_transactions"
calls: list[str] = []


def half_other_then_explode(event):
    Group.objects.create(name=f"{event.payload['name']} half")
    raise RuntimeError("after its own effect")


eventbus.subscribe("ThingPaired", f"{THINGS}.make_group")
eventbus.subscribe("ThingPaired", f"{THINGS}.make_other_group")
eventbus.subscribe("ThingMixed", f"{THINGS}.make_group")
eventbus.subscribe("ThingMixed", f"{HERE}.half_other_then_explode")
eventbus.subscribe("ThingMixed", f"{THINGS}.make_other_group")


def test_one_task_carries_every_handler_of_every_event_one_transaction_committed():
    executed = []

    def record(sender, func, task, **kwargs):
        executed.append(task["args"])

    pre_execute.connect(record, dispatch_uid="test-batched")
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            with ThingsUow() as uow:
                for name in ("one", "two"):
                    thing = Thing(id=new_id())
                    thing.record("ThingPaired", name=name)
                    uow.things.add(thing)
                uow.commit()
    finally:
        pre_execute.disconnect(dispatch_uid="test-batched")
    # one task, the deliveries grouped by event
    per_event = [
        sorted(EventDelivery.objects.filter(event__aggregate_id=thing_id).values_list("pk", flat=True))
        for thing_id in OutboxEvent.objects.order_by("created_at", "aggregate_id").values_list(
            "aggregate_id", flat=True
        )
    ]
    assert len(executed) == 1
    assert sorted(executed[0][0]) == sorted(per_event)
    assert sorted(handler_groups().values_list("name", flat=True)) == ["one", "one too", "two", "two too"]
    assert set(EventDelivery.objects.values_list("status", flat=True)) == {"done"}


def test_a_failing_handler_in_a_batch_rolls_back_its_own_effect_only():
    # when an event's second handler of three fails after writing
    event_id = publish_and_relay("ThingMixed", "mixed")
    # then the others' effects are there once, its own is not
    assert sorted(handler_groups().values_list("name", flat=True)) == ["mixed", "mixed too"]
    deliveries = dict(EventDelivery.objects.filter(event_id=event_id).values_list("handler", "status"))
    assert deliveries == {
        f"{THINGS}.make_group": "done",
        f"{HERE}.half_other_then_explode": "pending",
        f"{THINGS}.make_other_group": "done",
    }
    failed = EventDelivery.objects.get(event_id=event_id, handler=f"{HERE}.half_other_then_explode")
    assert failed.attempts == 1 and "after its own effect" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    # and its retry runs it alone: the others are not run again
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert eventbus.sweep(now=failed.next_attempt_at + timedelta(seconds=1))["retried"] == 1
    assert sorted(handler_groups().values_list("name", flat=True)) == ["mixed", "mixed too"]
    assert EventDelivery.objects.get(pk=failed.pk).attempts == 2


def test_delivering_an_event_costs_one_savepoint_per_handler_and_a_fixed_few_statements():
    # given an event relayed but not yet delivered: two handlers, one INSERT each
    ids = relayed_not_delivered("ThingPaired", "counted")
    # when its task runs
    with CaptureQueriesContext(connection) as captured:
        assert eventbus.deliver_batch([ids]) == dict.fromkeys(ids, "done")
    # then: plain reads of its deliveries and of others waiting (none here); its transaction (a
    # savepoint inside the test's) locking them and reading them with their event in one
    # statement; per handler a savepoint around its INSERT; one UPDATE marking both done
    kinds = [q["sql"].split()[0] for q in captured.captured_queries]
    per_handler = ["SAVEPOINT", "INSERT", "RELEASE"]
    assert kinds == [
        "SELECT",
        "SELECT",
        "SAVEPOINT",
        "SELECT",
        *per_handler,
        *per_handler,
        "UPDATE",
        "RELEASE",
    ]


def read_the_first_handlers_mark(event):
    calls.append(EventDelivery.objects.get(event_id=event.event_id, handler=f"{THINGS}.make_group").status)


eventbus.subscribe("ThingWatched", f"{THINGS}.make_group")
eventbus.subscribe("ThingWatched", f"{HERE}.read_the_first_handlers_mark", calls_out=True)


def test_a_handler_that_calls_out_runs_after_the_others_committed():
    # given an event of two handlers, relayed but not yet delivered
    calls.clear()
    ids = relayed_not_delivered("ThingWatched", "watched")
    # when its task runs
    assert eventbus.deliver_batch([ids]) == dict.fromkeys(ids, "done")
    # then the handler that calls out found the other one's work marked done already: while
    # it waits on a remote service it holds no row another handler wrote
    assert calls == ["done"]
    assert list(handler_groups().values_list("name", flat=True)) == ["watched"]
