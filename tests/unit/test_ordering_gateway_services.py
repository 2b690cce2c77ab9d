"""Ordering's use cases that ask the payment gateway: the expiry job's question before it
cancels, refund notifications, closing an abandoned payment (in-memory fakes)."""

import json

import pytest

from contexts.ordering import services
from contexts.shared.domain.errors import InvalidInput, NotFound
from tests.support.fakes import FixedClock
from tests.support.ordering import NOW, FakeGateway, fake_uow
from tests.unit.test_ordering_services import notify, pay, place


@pytest.fixture
def uow():
    return fake_uow()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def gateway():
    return FakeGateway(refund_status="PROCESSING")


def expire(uow, clock, gateway) -> int:
    return services.expire_unpaid_orders(uow=uow, clock=clock, gateway=gateway)


def test_the_expiry_job_takes_a_payment_the_gateway_says_succeeded(uow, clock, gateway):
    order = place(uow, clock)
    payment = pay(uow, clock, gateway, order)
    gateway.paid_orders[order.order_no] = ("tx-late", 1200)
    clock.advance(seconds=900)
    # when
    assert expire(uow, clock, gateway) == 0
    # then
    stored = uow.orders.rows[order.id]
    assert (stored.status, stored.sequence_no) == ("paid", 1)
    assert uow.payments.rows[payment.payment_id].transaction_id == "tx-late"
    assert uow.event_types() == ["OrderPaid"]
    assert gateway.closed == []
    # and the notification that arrives late is a repeat
    assert notify(uow, clock, gateway, payment, transaction_id="tx-late") == "replayed"


def test_the_expiry_job_does_not_take_a_payment_of_another_amount(uow, clock, gateway):
    order = place(uow, clock)
    pay(uow, clock, gateway, order)
    gateway.paid_orders[order.order_no] = ("tx-odd", 1)
    clock.advance(seconds=900)
    assert expire(uow, clock, gateway) == 0
    assert (uow.orders.rows[order.id].status, uow.events) == ("pending_payment", [])


def test_the_expiry_job_leaves_an_order_while_the_gateway_is_unreachable(uow, clock, gateway):
    order = place(uow, clock)
    pay(uow, clock, gateway, order)
    clock.advance(seconds=900)
    gateway.unreachable = True
    assert expire(uow, clock, gateway) == 0
    assert uow.orders.rows[order.id].status == "pending_payment"
    gateway.unreachable = False
    assert expire(uow, clock, gateway) == 1
    assert (uow.orders.rows[order.id].status, gateway.closed) == ("cancelled", [order.order_no])


def test_an_order_without_a_payment_expires_without_asking_the_gateway(uow, clock, gateway):
    order = place(uow, clock)
    clock.advance(seconds=900)
    gateway.unreachable = True
    assert expire(uow, clock, gateway) == 1
    assert (uow.orders.rows[order.id].status, gateway.closed) == ("cancelled", [])


def test_a_customer_cancelling_closes_the_payment_at_the_gateway(uow, clock, gateway):
    order = place(uow, clock)
    pay(uow, clock, gateway, order)
    services.cancel_order(uow=uow, clock=clock, gateway=gateway, order_id=order.id, customer_id="cust-1")
    assert gateway.closed == [order.order_no]


def refund_notification(
    uow, clock, gateway, payment, *, refund_id, status="SUCCESS", amount_fen=1200, tx="rf-1"
):
    body = json.dumps(
        {
            "kind": "refund",
            "order_no": uow.payments.get(payment.payment_id).order_no,
            "amount_fen": amount_fen,
            "status": status,
            "transaction_id": tx,
            "refund_id": refund_id,
        }
    ).encode()
    return services.handle_payment_notification(
        uow=uow,
        clock=clock,
        gateway=gateway,
        headers={"x-signature": gateway.sign(raw_body=body)},
        raw_body=body,
    )


def refunded(uow, clock, gateway):
    """A paid order whose money went back to a cancellation's refund, still processing."""
    order = place(uow, clock)
    payment = pay(uow, clock, gateway, order)
    services.cancel_order(uow=uow, clock=clock, gateway=gateway, order_id=order.id, customer_id="cust-1")
    assert notify(uow, clock, gateway, payment) == "refunded"
    return payment, uow.payments.rows[payment.payment_id]


def test_a_refund_notification_ends_the_refund_once(uow, clock, gateway):
    payment, stored = refunded(uow, clock, gateway)
    assert stored.refund_status == "processing"
    # when
    first = refund_notification(uow, clock, gateway, payment, refund_id=stored.refund_id, status="ABNORMAL")
    again = refund_notification(uow, clock, gateway, payment, refund_id=stored.refund_id, status="ABNORMAL")
    # then
    assert (first, again) == ("refund_abnormal", "replayed")
    assert uow.payments.rows[payment.payment_id].refund_status == "abnormal"


def test_a_refund_notification_of_another_refund_or_amount_changes_nothing(uow, clock, gateway):
    payment, stored = refunded(uow, clock, gateway)
    before = dict(uow.notifications.rows)
    with pytest.raises(NotFound):
        refund_notification(uow, clock, gateway, payment, refund_id="someone-elses-refund")
    with pytest.raises(InvalidInput):
        refund_notification(uow, clock, gateway, payment, refund_id=stored.refund_id, amount_fen=1)
    assert uow.payments.rows[payment.payment_id].refund_status == "processing"
    assert uow.notifications.rows == before
