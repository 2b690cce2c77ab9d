"""The Order aggregate's rules, in plain Python."""

from datetime import UTC, datetime, timedelta

import pytest

from contexts.ordering.domain.model import (
    ContactInfo,
    Order,
    OrderLine,
    PickupChoice,
    ResaleTerms,
    Snapshot,
    new_order_no,
    new_pickup_code,
)
from contexts.ordering.domain.payment import Notification, Payment
from contexts.shared.domain.errors import Conflict, InvalidInput

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


def snap(item="item-1", price_fen=1200, goods_id="goods-1"):
    return Snapshot(goods_id=goods_id, solitaire_item_id=item, name="鸡蛋", image_url="", price_fen=price_fen)


def place(lines=None, **kw) -> Order:
    return Order.place(
        customer_id=kw.get("customer_id", "cust-1"),
        store_id="store-1",
        solitaire_id=kw.get("solitaire_id", "sol-1"),
        resale=kw.get("resale"),
        lines=[OrderLine(snapshot=snap(), quantity=2)] if lines is None else lines,
        pickup=PickupChoice(method="pickup", pickup_point_id="point-1"),
        contact=ContactInfo.of(name="张三", phone="13800000000"),
        remark=kw.get("remark", ""),
        idempotency_key=None,
        now=NOW,
        payment_timeout_seconds=900,
    )


def test_a_placed_order_is_pending_with_its_total_and_payment_deadline():
    order = place(
        [OrderLine(snapshot=snap("a", 1200), quantity=2), OrderLine(snapshot=snap("b", 350), quantity=3)]
    )
    assert (order.status, order.total.fen, order.expires_at) == (
        "pending_payment",
        3450,
        NOW + timedelta(seconds=900),
    )
    assert [line.subtotal.fen for line in order.lines] == [2400, 1050]
    assert order.order_no.startswith("20250301100000") and len(order.order_no) == 20


def test_order_numbers_carry_the_shanghai_date_and_pickup_codes_have_eight_digits():
    assert new_order_no(datetime(2025, 12, 31, 16, 30, tzinfo=UTC))[:14] == "20260101003000"
    code = new_pickup_code()
    assert len(code) == 8 and code.isdigit()


@pytest.mark.parametrize("quantity", [0, -1, 1.5, "2", True, 10_001])
def test_a_line_quantity_is_an_integer_from_one(quantity):
    with pytest.raises(InvalidInput) as refused:
        OrderLine(snapshot=snap(), quantity=quantity)
    assert refused.value.fields == {"quantity": ["An integer between 1 and 10000 is required."]}


def test_an_order_needs_lines_and_never_the_same_item_twice():
    with pytest.raises(InvalidInput):
        place([])
    with pytest.raises(InvalidInput) as refused:
        place([OrderLine(snapshot=snap("a"), quantity=1), OrderLine(snapshot=snap("a"), quantity=2)])
    assert refused.value.fields == {"lines": ["Each item may appear once."]}


def test_pickup_needs_a_point_and_delivery_an_address():
    with pytest.raises(InvalidInput):
        PickupChoice.of(method="pickup", pickup_point_id=None, address=None)
    with pytest.raises(InvalidInput):
        PickupChoice.of(method="delivery", pickup_point_id=None, address=None)
    with pytest.raises(InvalidInput):
        PickupChoice.of(method="drone", pickup_point_id="p", address=None)
    address = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "1 号"}
    delivery = PickupChoice.of(method="delivery", pickup_point_id=None, address=address)
    assert delivery.as_dict()["address"]["detail"] == "1 号"


def test_a_resale_order_keeps_its_terms_and_rounds_its_commission_half_up_once():
    # given 1,005 fen through a resale at 1,000 bps (100.5 fen: half-up gives 101)
    terms = ResaleTerms(
        resale_id="r1", affiliate_store_id="aff-1", commission_bps=1000, billing_cycle="weekly"
    )
    order = place([OrderLine(snapshot=snap(price_fen=335), quantity=3)], resale=terms)
    # when
    order.mark_paid(now=NOW, sequence_no=1, pickup_code="00000001")
    # then
    (event,) = order.pull_events()
    facts = {
        k: event.payload[k]
        for k in ("resale_id", "affiliate_store_id", "commission_bps", "commission_fen", "billing_cycle")
    }
    assert facts == {
        "resale_id": "r1",
        "affiliate_store_id": "aff-1",
        "commission_bps": 1000,
        "commission_fen": 101,
        "billing_cycle": "weekly",
    }


def test_resale_terms_refuse_a_rate_beyond_the_whole():
    with pytest.raises(ValueError):
        ResaleTerms(resale_id="r1", affiliate_store_id="aff-1", commission_bps=10_001, billing_cycle="daily")


def test_a_contact_needs_a_name_and_a_valid_phone():
    with pytest.raises(InvalidInput) as refused:
        ContactInfo.of(name="张三", phone="12345")
    assert refused.value.code == "invalid_phone"
    with pytest.raises(InvalidInput):
        ContactInfo.of(name="  ", phone="13800000000")


def test_paying_records_order_paid_with_plain_values():
    # given
    order = place()
    # when
    order.mark_paid(now=NOW, sequence_no=3, pickup_code="00001234")
    # then
    (event,) = order.pull_events()
    assert (order.status, order.paid_at, order.sequence_no) == ("paid", NOW, 3)
    assert event.event_type == "OrderPaid"
    assert event.payload == {
        "order_id": order.id,
        "order_no": order.order_no,
        "store_id": "store-1",
        "solitaire_id": "sol-1",
        "resale_id": None,
        "affiliate_store_id": None,
        "commission_bps": 0,
        "commission_fen": 0,
        "billing_cycle": None,
        "customer_id": "cust-1",
        "sequence_no": 3,
        "total_fen": 2400,
        "lines": [
            {
                "goods_id": "goods-1",
                "solitaire_item_id": "item-1",
                "name": "鸡蛋",
                "price_fen": 1200,
                "quantity": 2,
            }
        ],
        "contact_phone": "13800000000",
        "occurred_at": NOW.isoformat(),
    }


def test_illegal_transitions_are_conflicts():
    order = place()
    order.cancel(now=NOW)
    with pytest.raises(Conflict) as refused:
        order.mark_paid(now=NOW, sequence_no=1, pickup_code="1")
    assert refused.value.code == "invalid_state"
    with pytest.raises(Conflict):
        order.cancel(now=NOW)
    paid = place()
    paid.mark_paid(now=NOW, sequence_no=None, pickup_code="1")
    with pytest.raises(Conflict):
        paid.cancel(now=NOW)


def test_an_order_expires_only_past_its_deadline():
    order = place()
    with pytest.raises(Conflict):
        order.expire(now=NOW + timedelta(seconds=899))
    order.expire(now=NOW + timedelta(seconds=900))
    assert (order.status, order.cancel_reason) == ("cancelled", "expired")
    assert [e.event_type for e in order.pull_events()] == ["OrderExpired"]


def test_a_refund_taken_or_ended_at_the_gateway_is_named_on_the_payment():
    payment = Payment(id="p1", order_id="o1", order_no="N1", amount_fen=100)
    payment.refund(now=NOW, refund_id="r1")
    payment.refund_taken("PROCESSING")
    assert (payment.status, payment.refund_id, payment.refund_status) == ("refunded", "r1", "processing")
    payment.refund_ended("ABNORMAL")
    assert payment.refund_status == "abnormal"
    payment.refund_ended("SUCCESS")
    assert payment.refund_status == "succeeded"


def test_a_notification_is_logged_once_per_payment_transaction_or_refund():
    paid = Notification(kind="payment", order_no="N1", amount_fen=1, status="SUCCESS", transaction_id="42")
    ended = Notification(kind="refund", order_no="N1", amount_fen=1, status="SUCCESS", transaction_id="42")
    assert (paid.log_key, ended.log_key) == ("42", "refund:42")
