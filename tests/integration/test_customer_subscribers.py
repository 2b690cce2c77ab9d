"""customer's handlers of OrderPaid and OrderRefunded through the real event machinery
(outbox -> relay -> django-q2 sync task), on the real database."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from contexts.customer.models import CustomerOrder, StoreCustomer
from contexts.shared import eventbus
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery
from tests.support.rows import goods_row

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
STORE = str(uuid.uuid4())
PAID = "contexts.customer.tasks.on_order_paid"
REFUNDED = "contexts.customer.tasks.on_order_refunded"
GOODS = str(uuid.uuid4())


@pytest.fixture(autouse=True)
def the_goods_ordered():
    goods_row(GOODS, STORE)


def order_payload(
    order_id: str, *, buyer: str, total_fen: int, at: datetime, phone: str = "13800000000"
) -> dict:
    return {
        "order_id": order_id,
        "order_no": "20250301000001",
        "store_id": STORE,
        "solitaire_id": None,
        "resale_id": None,
        "customer_id": buyer,
        "sequence_no": None,
        "total_fen": total_fen,
        "lines": [
            {
                "goods_id": GOODS,
                "solitaire_item_id": None,
                "name": "蛋",
                "price_fen": total_fen,
                "quantity": 1,
            },
        ],
        "contact_phone": phone,
        "occurred_at": at.isoformat(),
    }


def publish(event_type: str, payload: dict) -> str:
    """Commit the event to the outbox and relay it, as ordering's use case would."""
    event = DomainEvent(event_type, aggregate_type="Order", aggregate_id=payload["order_id"], payload=payload)
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()
    return event.event_id


def paid(order_id=None, *, buyer="u-cindy", total_fen=1280, at=T0, phone="13800000000") -> dict:
    payload = order_payload(
        order_id or str(uuid.uuid4()), buyer=buyer, total_fen=total_fen, at=at, phone=phone
    )
    publish("OrderPaid", payload)
    return payload


def refunded(payload: dict) -> str:
    return publish(
        "OrderRefunded", {**payload, "refund_id": str(uuid.uuid4()), "reason": "", "refunded_by": "x"}
    )


def counters(buyer="u-cindy"):
    row = StoreCustomer.objects.get(store_id=STORE, user_id=buyer)
    return row.order_count, row.total_spent_fen, row.first_order_at, row.last_order_at, row.phone


def test_paid_orders_make_one_customer_per_store_and_buyer_with_exact_counters():
    # when cindy pays twice (the later payment delivered first) and dora once
    paid(total_fen=650, at=T0 + timedelta(hours=3), phone="13900000002")
    paid(total_fen=1280, at=T0, phone="13900000001")
    paid(buyer="u-dora", total_fen=100, at=T0)
    # then
    assert counters() == (2, 1930, T0, T0 + timedelta(hours=3), "13900000002")
    assert counters("u-dora") == (1, 100, T0, T0, "13800000000")
    assert StoreCustomer.objects.count() == 2
    assert set(EventDelivery.objects.values_list("handler", "status").distinct()) >= {(PAID, "done")}


def test_an_order_paid_event_delivered_twice_counts_once():
    # given
    event_id = publish("OrderPaid", order_payload(str(uuid.uuid4()), buyer="u-cindy", total_fen=1280, at=T0))
    # when the same delivery runs again (a redelivered task)
    assert eventbus.deliver(event_id=event_id, handler=PAID) == "done"
    # then
    assert counters()[:2] == (1, 1280)


def test_the_same_order_paid_through_two_events_counts_once():
    # given
    payload = paid()
    # when another OrderPaid event (a new event id) carries the same order
    paid(payload["order_id"])
    # then
    assert counters()[:2] == (1, 1280)
    assert CustomerOrder.objects.count() == 1


def test_a_refund_uncounts_its_order_once_even_through_two_events():
    # given
    first = paid(total_fen=1280, at=T0)
    second = paid(total_fen=650, at=T0 + timedelta(days=1))
    # when the second order is refunded, and a second refund event of it arrives
    refunded(second)
    refunded(second)
    # then
    assert counters() == (1, 1280, T0, T0, "13800000000")
    assert dict(CustomerOrder.objects.values_list("order_id", "state")) == {
        first["order_id"]: "counted",
        second["order_id"]: "refunded",
    }


def test_a_refund_never_goes_below_zero_and_clears_the_times():
    # given
    only_order = paid(total_fen=500)
    # when
    refunded(only_order)
    # then the customer stays (with the remark staff may have written) and counts nothing
    assert counters() == (0, 0, None, None, "13800000000")


def test_a_refund_of_an_order_never_counted_changes_nothing_and_a_late_payment_counts_nothing():
    # given a counted order
    paid(total_fen=1280)
    stray = order_payload(str(uuid.uuid4()), buyer="u-cindy", total_fen=999, at=T0 + timedelta(hours=1))
    # when a refund arrives before the payment of its order, then the payment
    refunded(stray)
    assert counters()[:2] == (1, 1280)
    publish("OrderPaid", stray)
    # then
    assert counters()[:2] == (1, 1280)
    assert CustomerOrder.objects.get(order_id=stray["order_id"]).state == "refunded"


def test_the_nickname_is_copied_from_identity_at_the_order():
    from contexts.identity import bootstrap as identity

    # given a real user
    user = identity.login_with_wechat(code="sandbox-nina", nickname="妮娜").user
    # when
    paid(buyer=user.id)
    # then
    assert StoreCustomer.objects.get(user_id=user.id).nickname == user.nickname
