"""merchant_account reacts to OrderCompleted and OrderRefunded on the real database, through the
real event bus (outbox, relay, the queue's task, the (event, handler) record): a completed
order is credited once however often its event arrives, a refund reverses an unsettled credit
and is refused for a settled one."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contexts.merchant_account import bootstrap, tasks
from contexts.merchant_account.models import LedgerEntry, OrderRevenue
from contexts.shared import eventbus, schedules
from contexts.shared.models import EventDelivery
from tests.support.money import (
    SHANGHAI,
    T0,
    balances,
    complete_order,
    entries_of,
    money_rows,
    open_merchant,
    order_events,
    publish,
    refund_order,
    resale_through,
)

pytestmark = pytest.mark.django_db

CREDIT = "contexts.merchant_account.tasks.on_order_completed"
REVERSE = "contexts.merchant_account.tasks.on_order_refunded"
ZERO = {"pending_fen": 0, "available_fen": 0, "settled_total_fen": 0, "commission_total_fen": 0}


def test_a_completed_order_credits_its_store_merchants_pending_balance():
    # given
    brand = open_merchant()
    # when
    order = complete_order(store_id=brand.store_id, total_fen=12800)
    # then
    assert balances(brand) == ZERO | {"pending_fen": 12800}
    assert entries_of(brand) == [("order_completed", "pending", 12800, order.order_no)]
    revenue = OrderRevenue.objects.get()
    assert (revenue.order_id, revenue.merchant_id, revenue.total_fen, revenue.completed_at) == (
        order.order_id,
        brand.merchant_id,
        12800,
        T0,
    )
    assert (
        revenue.settlement_id,
        revenue.fee_fen,
        revenue.commission_fen,
        revenue.affiliate_merchant_id,
    ) == (
        None,
        None,
        0,
        None,
    )
    assert EventDelivery.objects.get(handler=CREDIT).status == "done"


def test_the_same_event_delivered_twice_and_handled_again_credits_once():
    # given
    brand = open_merchant()
    order = complete_order(store_id=brand.store_id, total_fen=12800)
    before = money_rows()
    # when the relay sends it again, the task runs again, and the handler itself runs again
    # (as after a crash between its effect and the 'done' mark)
    eventbus.relay([order.completed.event_id])
    assert eventbus.deliver(event_id=order.completed.event_id, handler=CREDIT) == "done"
    tasks.on_order_completed(order.completed)
    # then
    assert money_rows() == before
    assert balances(brand)["pending_fen"] == 12800


def test_a_second_event_for_the_same_order_credits_nothing_more():
    # given
    brand = open_merchant()
    order = order_events(store_id=brand.store_id, total_fen=500)
    publish(order.completed)
    before = money_rows()
    # when another OrderCompleted of the same order (a new event id) arrives
    twin = type(order.completed)(
        event_type="OrderCompleted",
        aggregate_type="Order",
        aggregate_id=order.order_id,
        payload=order.completed.payload,
    )
    publish(twin)
    # then only the outbox grew
    assert money_rows() == before | {"events": before["events"] + 1}


def test_a_resale_order_keeps_its_commission_and_the_billing_cycle_of_its_completion():
    # given a brand with a weekly franchise and an affiliate
    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="weekly")
    # when a resale order completes on Tuesday 4 March
    complete_order(store_id=brand.store_id, total_fen=10000, resale=resale)
    # then the whole total is the brand's pending, the commission is owed from Monday's week
    revenue = OrderRevenue.objects.get()
    assert (revenue.resale_id, revenue.affiliate_merchant_id, revenue.commission_fen) == (
        resale.resale_id,
        affiliate.merchant_id,
        1000,
    )
    assert (revenue.commission_cycle_start, revenue.commission_cycle_end) == (
        T0.replace(day=3, hour=0),
        T0.replace(day=10, hour=0),
    )
    assert revenue.commission_cycle_start.astimezone(SHANGHAI).weekday() == 0
    assert (balances(brand)["pending_fen"], balances(affiliate)) == (10000, ZERO)


def test_an_order_of_a_store_without_a_merchant_is_kept_for_a_retry():
    # given a store whose StoreCreated was never handled
    order = order_events(store_id="ffffffff-ffff-4fff-8fff-ffffffffffff", total_fen=500)
    before = money_rows()
    # when
    publish(order.completed)
    # then nothing is credited and the delivery waits for its next attempt, with the error
    assert money_rows() == before | {"events": before["events"] + 1}
    delivery = EventDelivery.objects.get(handler=CREDIT)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "has no merchant" in delivery.last_error


def test_a_refund_of_an_order_never_completed_credits_and_reverses_nothing():
    # given
    brand = open_merchant()
    order = order_events(store_id=brand.store_id, total_fen=500)
    before = money_rows()
    # when
    refund_order(order)
    # then
    assert money_rows() == before | {"events": before["events"] + 1}
    assert EventDelivery.objects.get(handler=REVERSE).status == "done"


def test_a_refund_of_a_credited_unsettled_order_reverses_its_credit():
    # given (ordering refunds only orders not completed: this is the rule's other branch)
    brand = open_merchant()
    order = complete_order(store_id=brand.store_id, total_fen=500)
    # when
    refund_order(order)
    # then
    assert balances(brand) == ZERO
    assert entries_of(brand) == [
        ("order_completed", "pending", 500, order.order_no),
        ("order_reversed", "pending", -500, order.order_no),
    ]
    assert OrderRevenue.objects.get().reversed_at is not None
    # and a settlement run leaves it alone
    assert bootstrap.settle_orders(as_of=T0 + timedelta(hours=1)).orders == 0


def test_a_refund_of_a_settled_order_is_refused_and_shown_as_a_failing_delivery():
    # given a settled order
    brand = open_merchant()
    order = complete_order(store_id=brand.store_id, total_fen=500)
    bootstrap.settle_orders(as_of=T0 + timedelta(hours=1))
    before = money_rows()
    # when
    refund_order(order)
    # then nothing is taken back, and the delivery records why
    assert money_rows() == before | {"events": before["events"] + 1}
    delivery = EventDelivery.objects.get(handler=REVERSE)
    assert delivery.status == "pending"
    assert "was settled already" in delivery.last_error


def test_the_database_refuses_a_second_credit_of_an_order():
    # given
    brand = open_merchant()
    complete_order(store_id=brand.store_id, total_fen=500)
    entry = LedgerEntry.objects.get()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            merchant_id=entry.merchant_id,
            kind="order_completed",
            balance="pending",
            amount_fen=500,
            order_id=entry.order_id,
            order_no=entry.order_no,
            store_id=entry.store_id,
            created_at=timezone.now(),
        )
    assert LedgerEntry.objects.count() == 1


def test_the_database_refuses_an_entry_with_the_wrong_sign():
    brand = open_merchant()
    complete_order(store_id=brand.store_id, total_fen=500)
    entry = LedgerEntry.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=-500)
    assert LedgerEntry.objects.get().amount_fen == 500


def test_the_runs_are_scheduled_hourly_and_daily_after_midnight():
    # given no schedule installed yet (migrate installed them when the test database was made,
    # maybe before the last xx:05, and installing again keeps an overdue run: see the next test)
    from django_q.models import Schedule

    Schedule.objects.all().delete()
    jobs = {job.name: job for job in schedules.registered()}
    # when
    schedules.install()
    # then
    orders = Schedule.objects.get(name="merchant_account.settle_orders")
    commissions = Schedule.objects.get(name="merchant_account.settle_commissions")
    assert (orders.func, orders.schedule_type) == ("contexts.merchant_account.tasks.settle_orders", "H")
    assert (commissions.func, commissions.schedule_type) == (
        "contexts.merchant_account.tasks.settle_commissions",
        "D",
    )
    orders_at, commissions_at = timezone.localtime(orders.next_run), timezone.localtime(commissions.next_run)
    assert (orders_at.minute, orders_at.second) == (5, 0)
    assert (commissions_at.hour, commissions_at.minute, commissions_at.second) == (0, 20, 0)
    now = timezone.localtime()
    assert now <= orders_at <= now + timedelta(hours=1)
    assert now <= commissions_at <= now + timedelta(days=1)
    assert jobs["merchant_account.settle_orders"].minutes is None


def test_installing_again_keeps_an_overdue_run_and_moves_a_misaligned_one():
    # given
    from django_q.models import Schedule

    schedules.install()
    overdue = timezone.localtime().replace(minute=5, second=0, microsecond=0) - timedelta(hours=3)
    Schedule.objects.filter(name="merchant_account.settle_orders").update(next_run=overdue)
    Schedule.objects.filter(name="merchant_account.settle_commissions").update(
        next_run=timezone.now() + timedelta(days=5)
    )
    # when
    schedules.install()
    # then the missed hourly run still runs once; the daily one is back on its time
    assert Schedule.objects.get(name="merchant_account.settle_orders").next_run == overdue
    commissions_at = timezone.localtime(
        Schedule.objects.get(name="merchant_account.settle_commissions").next_run
    )
    assert commissions_at <= timezone.localtime() + timedelta(days=1)
    assert (commissions_at.hour, commissions_at.minute) == (0, 20)
