"""Payments on the real database: sequence numbers, replays, refunds, concurrency."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from contexts.ordering import bootstrap
from contexts.ordering.models import Order, Payment, PaymentNotification, SolitaireSequence
from contexts.shared import eventbus
from contexts.shared.models import OutboxEvent
from tests.integration.test_ordering_helpers import deliver, notification, pay, solitaire_order
from tests.support.threads import run_at_once


@pytest.mark.django_db
def test_two_paid_orders_of_one_solitaire_get_one_and_two():
    # given two orders of one solitaire and one of another
    solitaire_id, other = str(uuid.uuid4()), str(uuid.uuid4())
    first, second, elsewhere = (
        solitaire_order(solitaire_id),
        solitaire_order(solitaire_id),
        solitaire_order(other),
    )
    # when paid in the opposite order of placing
    pay(second)
    pay(elsewhere)
    pay(first)
    # then
    numbers = dict(Order.objects.values_list("pk", "sequence_no"))
    assert (numbers[second.id], numbers[first.id], numbers[elsewhere.id]) == (1, 2, 1)
    assert SolitaireSequence.objects.get(pk=solitaire_id).last_no == 2


@pytest.mark.django_db
def test_paying_publishes_order_paid_with_the_sequence_number():
    order = solitaire_order("sol-events")
    pay(order)
    event = OutboxEvent.objects.get(event_type="OrderPaid")
    row = Order.objects.get(pk=order.id)
    assert (event.aggregate_type, event.aggregate_id) == ("Order", order.id)
    assert event.payload["sequence_no"] == 1
    assert event.payload["lines"] == [
        {
            "goods_id": "goods-1",
            "solitaire_item_id": "item-1",
            "name": "鸡蛋",
            "price_fen": 1200,
            "quantity": 1,
        }
    ]
    assert (row.status, len(row.pickup_code), row.paid_at is not None) == ("paid", 8, True)
    assert Payment.objects.get(order_id=order.id).status == "succeeded"


@pytest.mark.django_db
def test_a_replayed_notification_keeps_one_row_and_the_sequence():
    order = solitaire_order("sol-replay")
    payment_id = pay(order)
    # when the gateway sends it again
    outcome = deliver(notification(payment_id))
    # then
    assert outcome == "replayed"
    assert PaymentNotification.objects.count() == 1
    assert SolitaireSequence.objects.get(pk="sol-replay").last_no == 1
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1


@pytest.mark.django_db
def test_money_for_an_expired_order_is_recorded_and_refunded():
    order = solitaire_order("sol-late")
    payment = bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id)
    Order.objects.filter(pk=order.id).update(expires_at=order.created_at)
    assert bootstrap.expire_unpaid_orders() == 1
    # when the money arrives after all
    outcome = deliver(notification(payment.payment_id))
    # then
    assert outcome == "refunded"
    assert Payment.objects.get(pk=payment.payment_id).status == "refunded"
    assert PaymentNotification.objects.get().outcome == "refunded"
    assert Order.objects.get(pk=order.id).status == "cancelled"
    assert not SolitaireSequence.objects.filter(pk="sol-late").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_repeated_sequence_number_and_a_shared_pickup_code():
    a, b = solitaire_order("sol-db", store_id="s1"), solitaire_order("sol-db", store_id="s1")
    Order.objects.filter(pk=a.id).update(status="paid", sequence_no=1, pickup_code="12345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=b.id).update(sequence_no=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=b.id).update(status="paid", pickup_code="12345678")


@pytest.fixture
def quiet_subscribers(monkeypatch):
    """Committed events reach no handler: other contexts' subscribers are not under test here
    (and a made-up solitaire id would trip the solitaire's foreign keys)."""
    monkeypatch.setattr(eventbus, "_enqueue", lambda event_id, handler: None)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_notifications_number_twenty_orders_one_to_twenty(quiet_subscribers):
    # given twenty orders of one solitaire, each with its payment
    solitaire_id = str(uuid.uuid4())
    orders = [solitaire_order(solitaire_id) for _ in range(20)]
    bodies = [
        notification(bootstrap.pay_order(order_id=o.id, customer_id=o.customer_id).payment_id) for o in orders
    ]
    # when
    outcomes = run_at_once([lambda body=body: deliver(body) for body in bodies])
    # then
    assert outcomes == ["paid"] * 20
    numbers = sorted(Order.objects.filter(solitaire_id=solitaire_id).values_list("sequence_no", flat=True))
    assert numbers == list(range(1, 21))
    assert SolitaireSequence.objects.get(pk=solitaire_id).last_no == 20


@pytest.mark.django_db(transaction=True)
def test_five_copies_of_one_notification_at_once_pay_the_order_once(quiet_subscribers):
    # given an order with its payment, and the gateway's notification of it
    order = solitaire_order(str(uuid.uuid4()))
    body = notification(bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id).payment_id)
    # when five copies arrive at once
    outcomes = run_at_once([lambda: deliver(body) for _ in range(5)])
    # then one paid the order, the others found its transaction id recorded and changed nothing
    assert sorted(outcomes) == ["paid"] + ["replayed"] * 4
    assert list(PaymentNotification.objects.values_list("outcome", flat=True)) == ["paid"]
    assert Order.objects.get(pk=order.id).sequence_no == 1
    assert SolitaireSequence.objects.get(pk=order.solitaire_id).last_no == 1
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1
