"""The outbox, relay, idempotent delivery, retries and the sweeper, on the real database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Task
from django_q.signals import pre_execute

from contexts.shared import eventbus
from contexts.shared.domain.seedwork import new_id
from contexts.shared.models import EventDelivery, OutboxEvent
from tests.support.queue import queue_only, relayed_to_the_queue
from tests.support.things import HERE as THINGS
from tests.support.things import Thing, ThingsUow, handler_groups, publish, publish_and_relay
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db

HERE = "tests.integration.test_event_machinery"
calls: list[str] = []


def explode(event):
    calls.append(event.event_id)
    raise RuntimeError("boom")


def half_done_then_explode(event):
    Group.objects.create(name=event.payload["name"])
    raise RuntimeError("after the effect")


eventbus.subscribe("ThingNamed", f"{THINGS}.make_group")
eventbus.subscribe("ThingBroke", f"{HERE}.explode")
eventbus.subscribe("ThingHalfDone", f"{HERE}.half_done_then_explode")


def test_a_committed_event_is_delivered_once_and_marked_dispatched():
    # when
    event_id = publish_and_relay("ThingNamed", "alpha")
    # then
    assert list(handler_groups().values_list("name", flat=True)) == ["alpha"]
    row = OutboxEvent.objects.get(pk=event_id)
    assert row.dispatched_at is not None
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert (delivery.handler, delivery.status, delivery.attempts) == (f"{THINGS}.make_group", "done", 1)


def test_no_event_escapes_a_rolled_back_transaction():
    # given a use case that commits its events and then fails before the transaction ends
    with pytest.raises(ValueError), TestCase.captureOnCommitCallbacks(execute=True):
        with ThingsUow() as uow:
            thing = Thing(id=new_id())
            thing.record("ThingNamed", name="ghost")
            uow.things.add(thing)
            uow.commit()
            raise ValueError("the use case failed")
    # then
    assert OutboxEvent.objects.count() == 0
    assert EventDelivery.objects.count() == 0
    assert handler_groups().count() == 0


def test_a_unit_of_work_left_without_commit_writes_nothing():
    with TestCase.captureOnCommitCallbacks(execute=True):
        with ThingsUow() as uow:
            thing = Thing(id=new_id())
            thing.record("ThingNamed", name="forgotten")
            uow.things.add(thing)
            Group.objects.create(name="written inside")
    assert OutboxEvent.objects.count() == 0
    assert handler_groups().count() == 0


def test_the_sweeper_delivers_an_event_committed_but_never_enqueued():
    # given a crash between commit and enqueue: the on_commit relay never runs
    with TestCase.captureOnCommitCallbacks(execute=False):
        event_id = publish("ThingNamed", "survivor")
    assert OutboxEvent.objects.get(pk=event_id).dispatched_at is None
    assert handler_groups().count() == 0
    # when the sweeper runs within the grace period, it leaves the row to the relay
    assert eventbus.sweep(now=timezone.now())["relayed"] == 0
    # when it runs after the grace period
    later = timezone.now() + timedelta(minutes=5)
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = eventbus.sweep(now=later)
    # then
    assert result == {"relayed": 1, "retried": 0}
    assert list(handler_groups().values_list("name", flat=True)) == ["survivor"]
    assert OutboxEvent.objects.get(pk=event_id).dispatched_at is not None
    # and a second sweep finds nothing left
    assert eventbus.sweep(now=later) == {"relayed": 0, "retried": 0}


def test_the_same_event_delivered_twice_has_one_effect():
    # given
    event_id = publish_and_relay("ThingNamed", "once")
    handler = f"{THINGS}.make_group"
    # when the broker hands the task out again, and the relay runs again
    assert eventbus.deliver(event_id=event_id, handler=handler) == "done"
    assert eventbus.relay([event_id]) == 0
    # then
    assert handler_groups().filter(name="once").count() == 1
    assert EventDelivery.objects.get(event_id=event_id).attempts == 1


def test_a_handler_effect_is_rolled_back_with_its_failure():
    event_id = publish_and_relay("ThingHalfDone", "half")
    assert handler_groups().count() == 0
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "after the effect" in delivery.last_error


def test_a_failing_handler_is_retried_with_backoff_then_shown_as_failed(settings):
    # given
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 3
    calls.clear()
    event_id = publish_and_relay("ThingBroke")
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert (delivery.status, delivery.attempts, len(calls)) == ("pending", 1, 1)
    first_due = delivery.next_attempt_at
    assert first_due > timezone.now()
    # when the sweeper runs before the backoff has passed, nothing is retried
    assert eventbus.sweep()["retried"] == 0
    assert len(calls) == 1
    # when it runs after each backoff
    for _ in range(2):
        due = EventDelivery.objects.get(event_id=event_id).next_attempt_at
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert eventbus.sweep(now=due + timedelta(seconds=1))["retried"] == 1
    # then the delivery is failed with its error and no longer retried
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(calls)) == ("failed", 3, 3)
    assert "RuntimeError: boom" in delivery.last_error
    assert delivery.next_attempt_at is None
    assert eventbus.sweep(now=timezone.now() + timedelta(days=1))["retried"] == 0
    assert len(calls) == 3


def test_an_operator_retries_a_failed_delivery_from_the_admin(admin_client, settings):
    # given a delivery that has failed for good
    settings.EVENT_HANDLER_MAX_ATTEMPTS = 1
    calls.clear()
    event_id = publish_and_relay("ThingBroke")
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert delivery.status == "failed"
    # when the operator selects it and runs the retry action
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            "/admin/shared/eventdelivery/",
            {"action": "retry", "_selected_action": [delivery.pk]},
        )
    # then it ran again (and failed again, so it is back in the failed list)
    assert response.status_code == 302
    assert len(calls) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    # and the failed list shows it with its handler
    page = admin_client.get("/admin/shared/eventdelivery/?status__exact=failed")
    assert f"{HERE}.explode" in page.content.decode()


def test_inline_sync_mode_runs_delivery_through_django_q_as_one_task_without_a_result_row():
    # the test settings run tasks inline; the delivery still goes through async_task
    assert Conf.SYNC is True
    executed = []

    def record(sender, func, task, **kwargs):
        executed.append((task["func"], task["args"]))

    pre_execute.connect(record, dispatch_uid="test-executed")
    try:
        event_id = publish_and_relay("ThingNamed", "via-q")
    finally:
        pre_execute.disconnect(dispatch_uid="test-executed")
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert executed == [(eventbus.DELIVER_TASK, ([[delivery.pk]],))]
    assert delivery.status == "done"
    # its outcome is the delivery's: django-q2 keeps no success row of it
    assert Task.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_event_at_once_have_one_effect():
    # given an event whose delivery row exists but whose task has not run yet
    event_id = publish("ThingUnwatched", "contended")
    handler = f"{THINGS}.make_group"
    EventDelivery.objects.create(event_id=event_id, handler=handler)
    # when four workers deliver it at the same moment
    results = run_at_once([lambda: eventbus.deliver(event_id=event_id, handler=handler)] * 4)
    # then exactly one effect
    assert sorted(results) == ["done"] * 4
    assert handler_groups().filter(name="contended").count() == 1
    assert EventDelivery.objects.get(event_id=event_id).attempts == 1


def test_a_unit_of_work_inside_another_joins_its_transaction_and_fails_with_it():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given an inner use case that commits inside an outer one
    with CaptureQueriesContext(connection) as captured, pytest.raises(ValueError):
        with ThingsUow() as outer:
            with ThingsUow() as inner:
                thing = Thing(id=new_id())
                thing.record("ThingNamed", name="inner")
                inner.things.add(thing)
                inner.commit()
            raise ValueError("the outer use case failed afterwards")
    # then the inner events went with the outer failure, and only the outer block took a savepoint
    assert OutboxEvent.objects.count() == 0
    savepoints = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1
    assert outer is not inner


def own_the_thing(event):
    Group.objects.create(name=f"owner of {event.payload['name']}")


def refuse_the_thing(event):
    raise RuntimeError("refused inside the transaction")


eventbus.subscribe("ThingOwned", f"{HERE}.own_the_thing", in_transaction=True)
eventbus.subscribe("ThingRefused", f"{HERE}.refuse_the_thing", in_transaction=True)


def test_an_in_transaction_handler_has_its_effect_before_the_commit_with_its_delivery_done():
    # when the event is published and no on_commit callback ever runs (no relay, no queue)
    with TestCase.captureOnCommitCallbacks(execute=False) as relays:
        event_id = publish("ThingOwned", "beta")
    # then the effect and its (event_id, handler) record are there already
    assert list(handler_groups().values_list("name", flat=True)) == ["owner of beta"]
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert (delivery.handler, delivery.status, delivery.attempts) == (f"{HERE}.own_the_thing", "done", 1)
    # and relaying it later enqueues nothing more for that handler
    for relay in relays:
        relay()
    assert EventDelivery.objects.filter(event_id=event_id).count() == 1
    assert handler_groups().count() == 1


def test_a_failing_in_transaction_handler_fails_the_use_case_and_leaves_nothing():
    with pytest.raises(RuntimeError, match="refused inside"), TestCase.captureOnCommitCallbacks(execute=True):
        publish("ThingRefused", "gamma")
    assert (OutboxEvent.objects.count(), EventDelivery.objects.count(), handler_groups().count()) == (0, 0, 0)


def test_a_delivery_whose_task_was_lost_is_found_by_the_sweeper_and_run():
    # given an event relayed to the queue, whose task row is then lost (a purged queue)
    with relayed_to_the_queue():
        event_id = publish("ThingNamed", "lost")
    assert OrmQ.objects.count() == 1
    OrmQ.objects.all().delete()
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert (delivery.status, delivery.dispatches) == ("pending", 1)
    # when the sweeper runs within the lease, it waits; past it, it dispatches the task again
    assert eventbus.sweep(now=timezone.now())["retried"] == 0
    assert eventbus.sweep(now=delivery.next_attempt_at + timedelta(seconds=1))["retried"] == 1
    # then the handler ran once and the delivery is done
    delivery.refresh_from_db()
    assert (delivery.status, delivery.dispatches, delivery.attempts) == ("done", 2, 1)
    assert list(handler_groups().values_list("name", flat=True)) == ["lost"]


def test_a_delivery_whose_tasks_are_always_lost_ends_failed_not_pending_forever(settings):
    # given a delivery whose every task is lost
    with relayed_to_the_queue():
        event_id = publish("ThingNamed", "never")
    later = timezone.now()
    with queue_only():
        for _ in range(settings.EVENT_HANDLER_MAX_ATTEMPTS):
            OrmQ.objects.all().delete()
            later += timedelta(seconds=settings.EVENT_DELIVERY_LEASE_SECONDS + 1)
            eventbus.sweep(now=later)
        OrmQ.objects.all().delete()
    delivery = EventDelivery.objects.get(event_id=event_id)
    assert delivery.status == "pending"
    assert delivery.dispatches == settings.EVENT_HANDLER_MAX_ATTEMPTS + 1
    # when the sweeper finds it due once more
    eventbus.sweep(now=later + timedelta(seconds=settings.EVENT_DELIVERY_LEASE_SECONDS + 1))
    # then it is shown as failed, with why, and the handler never ran
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
    assert "lost" in delivery.last_error
    assert handler_groups().count() == 0
