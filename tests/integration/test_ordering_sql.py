"""Ordering's hand-written statements (contexts/ordering/adapters) on a real database: an order
read with its lines, a payment, and an order's transition read and write what the ORM would."""

import dataclasses
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.ordering import bootstrap
from contexts.ordering.adapters.orm import DjangoOrderRepository, order_to_domain
from contexts.ordering.adapters.payments import DjangoPaymentRepository
from contexts.ordering.contracts import LineRequest, Pickup
from contexts.ordering.models import Order, Payment
from tests.integration.test_ordering_helpers import CONTACT, pay, solitaire_order

pytestmark = pytest.mark.django_db

ADDRESS = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}


def two_line_delivery():
    lines = [
        LineRequest(
            goods_id=f"goods-{n}", solitaire_item_id=None, name=name, image_url="", price_fen=p, quantity=q
        )
        for n, (name, p, q) in enumerate([("鸡蛋", 1200, 2), ("牛奶", 650, 1)])
    ]
    return bootstrap.place_order(
        customer_id=str(uuid.uuid4()),
        store_id="store-1",
        solitaire_id=None,
        resale=None,
        lines=lines,
        pickup=Pickup(method="delivery", pickup_point_id=None, address=ADDRESS),
        contact=CONTACT,
        remark="放门口",
        idempotency_key="key-1",
    )


def as_the_orm_reads_it(order_id: str) -> dict:
    return dataclasses.asdict(order_to_domain(Order.objects.prefetch_related("lines").get(pk=order_id)))


def test_an_order_with_its_lines_reads_back_as_the_orm_reads_it():
    # given a delivery order of two lines, and a paid one
    placed = two_line_delivery()
    paid = solitaire_order("sol-read")
    pay(paid)
    repository = DjangoOrderRepository()
    for order_id in (placed.id, paid.id):
        # when read by hand, locked or not
        read, locked = repository.get(order_id), repository.get(order_id, lock=True)
        # then every attribute is the ORM's, the lines in their order
        assert dataclasses.asdict(read) == dataclasses.asdict(locked) == as_the_orm_reads_it(order_id)
    read = repository.get(placed.id)
    assert [(line.snapshot.name, line.quantity) for line in read.lines] == [("鸡蛋", 2), ("牛奶", 1)]
    assert (read.pickup.address.as_dict()["detail"], read.remark) == ("科技园 1 号", "放门口")
    assert read.total.fen == 2 * 1200 + 650
    assert repository.get("no-such-order") is None


def test_an_orders_transition_written_by_hand_reads_back_through_the_orm():
    # given an order, marked paid in memory
    order_id = solitaire_order("sol-write").id
    repository = DjangoOrderRepository()
    order = repository.get(order_id)
    now = timezone.now()
    order.mark_paid(now=now, sequence_no=7, pickup_code="12345678")
    # when written against a status it no longer has, then against the one it was read in
    refused = repository.save_transition(order, expected="paid")
    unchanged = Order.objects.get(pk=order_id).status
    written = repository.save_transition(order, expected="pending_payment")
    # then
    assert (refused, unchanged, written) == (False, "pending_payment", True)
    row = Order.objects.get(pk=order_id)
    assert (row.status, row.sequence_no, row.pickup_code, row.paid_at) == ("paid", 7, "12345678", now)
    assert (row.completed_at, row.cancel_reason, row.completed_by, row.refund_reason) == (None, "", "", "")
    assert repository.pickup_code_in_use("store-1", "12345678") is True
    assert repository.pickup_code_in_use("store-1", "87654321") is False
    assert repository.pickup_code_in_use("store-2", "12345678") is False


def test_a_payment_reads_back_and_saves_as_the_orm_would():
    # given an order's payment
    order = solitaire_order("sol-payment")
    opened = bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id)
    payments = DjangoPaymentRepository()
    row = Payment.objects.get(pk=opened.payment_id)
    # when read by its id, its order and its order number
    found = [payments.get(row.pk), payments.for_order(order.id), payments.by_order_no(order.order_no)]
    # then each is the row as the ORM reads it
    fields = ("id", "order_id", "order_no", "amount_fen", "gateway", "prepay", "status", "created_at")
    assert all(
        tuple(getattr(payment, name) for name in fields) == tuple(getattr(row, name) for name in fields)
        for payment in found
    )
    assert (found[0].prepay["prepay_id"], found[0].paid_at, found[0].refund_status) == (
        f"sandbox-prepay-{row.pk}",
        None,
        "",
    )
    # and when it succeeds and is saved, the ORM reads the change
    payment = found[0]
    paid_at = row.created_at + timedelta(minutes=1)
    payment.succeed(transaction_id="wx-1", now=paid_at)
    payments.save(payment)
    row.refresh_from_db()
    assert (row.status, row.transaction_id, row.paid_at) == ("succeeded", "wx-1", paid_at)
    assert row.refunded_at is None
    assert payments.get("no-such-payment") is None
