"""A backlog of paid orders handled in batches (DESIGN.md "Domain events", 7): a delivery task
also takes the other deliveries waiting for their tasks, and each handler with a batch form
handles all its events at once, with the effect of handling them one by one."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contexts.shared import eventbus
from contexts.shared.models import EventDelivery
from tests.support.paid_orders import HANDLERS, T0, effects, paid_payload, pay_waiting, queued, run, world

pytestmark = pytest.mark.django_db


def statuses() -> dict[str, int]:
    found: dict[str, int] = {}
    for status in EventDelivery.objects.values_list("status", flat=True):
        found[status] = found.get(status, 0) + 1
    return found


def a_backlog(w, count: int) -> list[dict]:
    """`count` paid orders of the world's buyers in turn, paid at shuffled times, some with a
    contact phone, waiting in the queue."""
    payloads = [
        paid_payload(
            w,
            buyer=n % len(w.buyers),
            at=T0 + timedelta(minutes=(7 * n) % 11),
            lines=[(w.goods[0], 1 + n % 3)] + ([(w.goods[1], 2)] if n % 2 else []),
            phone=f"1380000{n:04d}" if n % 3 else "",
        )
        for n in range(count)
    ]
    for payload in payloads:
        pay_waiting(payload)
    return payloads


def test_a_task_handles_the_other_waiting_deliveries_and_the_later_tasks_do_nothing():
    # given three paid orders waiting, one task each
    w = world()
    payloads = a_backlog(w, 3)
    tasks = queued()
    assert len(tasks) == 3 and statuses() == {"pending": 12}
    # when the first task runs
    assert run(tasks[0]) == {"done": 12}
    # then every order's four deliveries are done, each order counted once
    assert statuses() == {"done": 12}
    handled = effects()
    assert set(handled["participations"]) == {payload["order_id"] for payload in payloads}
    assert sum(count for *_facts, count, _total, _first, _last in handled["customers"].values()) == 3
    # and the later tasks find their deliveries done and none waiting: two plain reads each (no
    # transaction), nothing changed
    for task in tasks[1:]:
        with CaptureQueriesContext(connection) as captured:
            assert run(task) == {"done": 4}
        assert [q["sql"].split()[0] for q in captured.captured_queries] == ["SELECT", "SELECT"]
    assert effects() == handled
    assert EventDelivery.objects.filter(attempts=1).count() == 12


def test_a_task_whose_deliveries_are_done_still_takes_those_left_waiting():
    # given two paid orders: the first's task is gone (it ran while a cluster that then died held
    # the first's deliveries, so it left them), the second's deliveries were handled by another
    w = world()
    first = pay_waiting(paid_payload(w, buyer=0, at=T0, lines=[(w.goods[0], 1)]))
    second = pay_waiting(paid_payload(w, buyer=1, at=T0, lines=[(w.goods[0], 2)]))
    _first_task, second_task = queued()
    mine = list(EventDelivery.objects.filter(event_id=second).values_list("pk", flat=True))
    assert eventbus.deliver_batch([mine], steal=0) == dict.fromkeys(mine, "done")
    # when the second's task runs
    assert run(second_task) == {"done": 8}
    # then it took the first's deliveries too: nothing is left pending
    assert statuses() == {"done": 8}
    assert set(EventDelivery.objects.filter(event_id=first).values_list("status", flat=True)) == {"done"}
    assert effects()["sales"][w.goods[0]] == 3


def one_by_one() -> None:
    """Each delivery in its own transaction through its handler's single form, as before."""
    for pk in EventDelivery.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True):
        assert eventbus.deliver_batch([[pk]], steal=0) == {pk: "done"}


def test_the_batch_forms_have_the_effect_of_handling_each_event_in_turn():
    # given a backlog of ten paid orders of three buyers, paid out of order, some with a phone
    w = world()
    backlog = a_backlog(w, 10)
    # when they are handled one by one (and that is rolled back), then by their first task
    with transaction.atomic():
        one_by_one()
        alone = effects()
        transaction.set_rollback(True)
    assert statuses() == {"pending": 40}
    assert run(queued()[0]) == {"done": 40}
    # then the effects are the same, to every value
    batched = effects()
    assert batched == alone
    # and they are what each order brings: sales per goods, counts, totals, times and the phone
    # of the latest order that had one, a participation and a sent message per order
    assert batched["sales"] == {w.goods[0]: 19, w.goods[1]: 10}
    # buyer 1 paid orders 1, 4 and 7 (at 09:07, 09:06, 09:05, each with a phone): handled in
    # that order, only the first was the latest when counted, so its phone stays
    assert batched["customers"][w.buyers[1]] == (
        "store-paid",
        "买家1",
        "13800000001",
        3,
        sum(p["total_fen"] for p in backlog if p["customer_id"] == w.buyers[1]),
        T0 + timedelta(minutes=5),
        T0 + timedelta(minutes=7),
    )
    assert batched["customers"][w.buyers[1]][4] == 1000
    assert len(batched["participations"]) == 10 and len(batched["messages"]) == 10
    assert {status for *_facts, status, _attempts, _error in batched["notifications"].values()} == {"sent"}


def test_a_channel_refusing_the_messages_fails_the_notifications_as_one_by_one_would(settings):
    # given a backlog of four paid orders while WeChat refuses every message
    settings.NOTIFICATION_SANDBOX_FAIL = True
    w = world()
    a_backlog(w, 4)
    # when they are handled one by one (rolled back), then by their first task
    with transaction.atomic():
        one_by_one()
        alone = effects()
        transaction.set_rollback(True)
    assert run(queued()[0]) == {"done": 16}
    # then the same notifications, each failed once with why (best effort: delivered all the same)
    batched = effects()
    assert batched == alone
    refused = "MessageNotSent: sandbox: NOTIFICATION_SANDBOX_FAIL is on (errcode 43101, user refused)"
    outcomes = {
        (status, attempts, error) for *_facts, status, attempts, error in batched["notifications"].values()
    }
    assert outcomes == {("failed", 1, refused)}
    assert len(batched["notifications"]) == 4 and batched["messages"] == []


def test_one_failing_event_in_a_batch_fails_alone_and_is_retried_later():
    # given three paid orders, the second of goods that do not exist
    w = world()
    payloads = [
        paid_payload(w, buyer=0, at=T0, lines=[(w.goods[0], 1)]),
        paid_payload(w, buyer=1, at=T0, lines=[("goods-unknown", 1)]),
        paid_payload(w, buyer=2, at=T0, lines=[(w.goods[0], 2)]),
    ]
    failing = [pay_waiting(payload) for payload in payloads][1]
    # when the first task runs them all
    assert run(queued()[0]) == {"done": 11, "pending": 1}
    # then only the unknown goods' sales delivery failed: rolled back, its retry scheduled
    failed = EventDelivery.objects.get(status="pending")
    assert (str(failed.event_id), failed.handler, failed.attempts) == (failing, HANDLERS["goods"], 1)
    assert "No such goods" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    # and the others counted once each; the failing order's other handlers did their part
    handled = effects()
    assert handled["sales"] == {w.goods[0]: 3, w.goods[1]: 0}
    assert set(handled["participations"]) == {payload["order_id"] for payload in payloads}
    assert EventDelivery.objects.filter(status="done", attempts=1).count() == 11


def test_a_lone_event_whose_batch_form_fails_is_failed_once_and_not_tried_again_one_by_one(caplog):
    # given one paid order, of goods that do not exist, alone in the queue
    w = world()
    failing = pay_waiting(paid_payload(w, buyer=0, at=T0, lines=[("goods-unknown", 1)]))
    # when its task runs
    assert run(queued()[0]) == {"done": 3, "pending": 1}
    # then its sales delivery failed once, through the batch form, its retry scheduled
    failed = EventDelivery.objects.get(status="pending")
    assert (str(failed.event_id), failed.handler, failed.attempts) == (failing, HANDLERS["goods"], 1)
    assert "No such goods" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    # and the handler was not run again on its own: one failure logged, no "one by one"
    failures = [record.getMessage() for record in caplog.records if record.name == "contexts.shared.eventbus"]
    assert failures == [f"event handler {HANDLERS['goods']} failed for event {failing}"]
    # and the order's other handlers did their part
    assert set(effects()["participations"]) == {failed.event.payload["order_id"]}


def test_a_delivery_backing_off_after_a_failure_is_not_taken_before_its_time():
    # given a delivery that failed and waits for its retry
    w = world()
    pay_waiting(paid_payload(w, buyer=0, at=T0, lines=[("goods-late", 1)]))
    assert run(queued()[0]) == {"done": 3, "pending": 1}
    backing_off = EventDelivery.objects.get(status="pending")
    due = backing_off.next_attempt_at
    # when the goods appear and another paid order's task runs before the retry is due
    from tests.support.rows import goods_row

    goods_row("goods-late", "store-paid")
    pay_waiting(paid_payload(w, buyer=1, at=T0, lines=[("goods-late", 1)]))
    assert run(queued()[-1]) == {"done": 4}
    # then the backing-off delivery was left alone
    backing_off.refresh_from_db()
    assert (backing_off.status, backing_off.attempts, backing_off.next_attempt_at) == ("pending", 1, due)
    # and once its time has come, the next task takes it
    EventDelivery.objects.filter(pk=backing_off.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    pay_waiting(paid_payload(w, buyer=2, at=T0, lines=[(w.goods[0], 1)]))
    assert run(queued()[-1]) == {"done": 5}
    backing_off.refresh_from_db()
    assert (backing_off.status, backing_off.attempts) == ("done", 2)
    assert effects()["sales"]["goods-late"] == 2


def statements_for(count: int) -> list[str]:
    """The statements of the first task of `count` paid orders of as many new buyers, each of
    both goods, which handles them all (the first word of each; a statement run once per parameter list counts
    once: its parameter lists go together)."""
    w = world(buyers=count)
    for n in range(count):
        at = T0 + timedelta(minutes=n)
        lines = [(w.goods[0], 1), (w.goods[1], 2)]
        pay_waiting(paid_payload(w, buyer=n, at=at, lines=lines, phone="13800000000"))
    first = queued()[0]
    with CaptureQueriesContext(connection) as captured:
        assert run(first) == {"done": 4 * count}
    return [
        "MANY" if q["sql"].split()[0].isdigit() else q["sql"].split()[0] for q in captured.captured_queries
    ]


# One task's statements for a backlog of paid orders, whatever their number: a transaction for
# the handlers that write only this database and one for the notifications, which call out (a
# SAVEPOINT … RELEASE here, inside the test's transaction: BEGIN … COMMIT in a worker), each
# locking its deliveries, reading their events, running each batch form in a savepoint and
# marking them done.
CLAIM = ["SAVEPOINT", "SELECT"]  # begin, lock the deliveries and read them with their events
DONE = ["UPDATE", "RELEASE"]  # every delivery of the transaction done, commit
STATEMENTS = [
    *["SELECT", "SELECT"],  # the task's own deliveries; the waiting ones to take (plain reads)
    *CLAIM,
    *["SAVEPOINT", "SELECT", "SELECT", "SELECT", "INSERT", "SELECT", "INSERT", "MANY", "RELEASE"],  # customer
    *["SAVEPOINT", "UPDATE", "UPDATE", "RELEASE"],  # goods: one UPDATE per goods ordered (two)
    *["SAVEPOINT", "INSERT", "RELEASE"],  # solitaire: every participation
    *DONE,
    *CLAIM,
    *["SAVEPOINT", "SELECT", "SELECT", "SELECT"],  # notification: store names, made already, openids,
    *[
        "SAVEPOINT",
        "INSERT",
        "RELEASE",
        "INSERT",
        "RELEASE",
    ],  # the messages sent (sandbox), the notifications
    *DONE,
]


@pytest.mark.parametrize("count", [1, 3, 12])
def test_handling_a_backlog_of_paid_orders_costs_a_fixed_number_of_statements(count):
    # when the first task of `count` paid orders of as many buyers handles them all
    kinds = statements_for(count)
    # then it costs the same 35 statements, whatever the count: a lone order too goes through
    # the batch forms
    assert kinds == STATEMENTS
    assert len(STATEMENTS) == 35
