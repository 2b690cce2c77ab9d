"""Ordering's use cases with in-memory fakes: placing, paying, cancelling, expiring, carts."""

import json

import pytest

from contexts.ordering import services
from contexts.shared.domain.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from tests.support.fakes import FakeUserDirectory, FixedClock
from tests.support.ordering import (
    CONTACT,
    NOW,
    PICKUP,
    FakeGateway,
    FakeGoods,
    fake_uow,
    goods_lines,
    line,
    stores,
)


@pytest.fixture
def uow():
    return fake_uow()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def gateway():
    return FakeGateway()


def place(uow, clock, *, customer_id="cust-1", solitaire_id="sol-1", lines=None):
    return services.place_order(
        uow=uow,
        clock=clock,
        payment_timeout_seconds=900,
        customer_id=customer_id,
        store_id="store-1",
        solitaire_id=solitaire_id,
        resale=None,
        lines=lines or [line()],
        pickup=PICKUP,
        contact=CONTACT,
        remark="",
    )


def notify(uow, clock, gateway, payment, *, transaction_id="tx-1", amount_fen=None, signature=None):
    body = json.dumps(
        {
            "payment_id": payment.payment_id,
            "order_no": uow.payments.get(payment.payment_id).order_no,
            "amount_fen": payment.amount_fen if amount_fen is None else amount_fen,
            "status": "SUCCESS",
            "transaction_id": transaction_id,
            "paid_at": "2025-03-01T10:00:00+08:00",
        }
    ).encode()
    return services.handle_payment_notification(
        uow=uow,
        clock=clock,
        gateway=gateway,
        headers={"x-signature": signature or gateway.sign(raw_body=body)},
        raw_body=body,
    )


USERS = FakeUserDirectory({"cust-1": {"openid": "openid-1"}, "cust-2": {"openid": "openid-2"}})


def pay(uow, clock, gateway, order, customer_id="cust-1"):
    return services.pay_order(
        uow=uow, clock=clock, gateway=gateway, users=USERS, order_id=order.id, customer_id=customer_id
    )


def test_placing_an_order_stores_it_pending_and_publishes_nothing_yet(uow, clock):
    order = place(uow, clock, lines=[line("a", 2, 1200), line("b", 1, 500)])
    assert (order.status, order.total_fen, order.pickup_code, order.sequence_no) == (
        "pending_payment",
        2900,
        None,
        None,
    )
    assert list(uow.orders.rows) == [order.id]
    assert uow.events == []


def test_a_goods_order_reserves_each_goods_stock_in_its_transaction(uow, clock):
    # given
    goods = FakeGoods()
    goods.put("g1", stock=5)
    goods.put("g2", stock=1)
    # when one line cannot be served
    with pytest.raises(Conflict) as refused:
        place_goods(uow, clock, goods, ("g1", 2), ("g2", 2))
    # then no order exists (the fake's stock is not transactional: the database's is, see integration)
    assert refused.value.code == "out_of_stock"
    assert uow.orders.rows == {}


def test_a_frozen_store_takes_no_goods_order(uow, clock):
    goods = FakeGoods()
    goods.put("g1")
    with pytest.raises(Conflict) as refused:
        place_goods(uow, clock, goods, ("g1", 1), directory=stores(frozen=True))
    assert (refused.value.code, refused.value.detail) == ("invalid_state", "The store is frozen.")
    assert goods.stock["g1"] == 10


def test_goods_of_another_store_are_refused(uow, clock):
    goods = FakeGoods()
    goods.put("g1", store_id="store-2")
    with pytest.raises(InvalidInput):
        place_goods(uow, clock, goods, ("g1", 1))


def test_paying_twice_returns_the_same_payment(uow, clock, gateway):
    order = place(uow, clock)
    first = pay(uow, clock, gateway, order)
    second = pay(uow, clock, gateway, order)
    assert first == second
    assert (first.amount_fen, first.gateway, len(gateway.created)) == (1200, "fake", 1)


def test_another_customer_cannot_pay_or_cancel(uow, clock, gateway):
    order = place(uow, clock)
    with pytest.raises(NotFound):
        pay(uow, clock, gateway, order, customer_id="cust-2")
    with pytest.raises(NotFound):
        services.cancel_order(uow=uow, clock=clock, gateway=gateway, order_id=order.id, customer_id="cust-2")
    assert uow.orders.rows[order.id].status == "pending_payment"


def test_a_success_notification_pays_the_order_with_the_next_sequence_number(uow, clock, gateway):
    # given two orders of one solitaire
    first, second = place(uow, clock), place(uow, clock, customer_id="cust-2")
    p1 = pay(uow, clock, gateway, first)
    p2 = pay(uow, clock, gateway, second, customer_id="cust-2")
    # when
    assert notify(uow, clock, gateway, p2, transaction_id="tx-2") == "paid"
    assert notify(uow, clock, gateway, p1, transaction_id="tx-1") == "paid"
    # then
    assert uow.orders.rows[second.id].sequence_no == 1
    assert uow.orders.rows[first.id].sequence_no == 2
    assert len(uow.orders.rows[first.id].pickup_code) == 8
    assert uow.event_types() == ["OrderPaid", "OrderPaid"]


def test_a_replayed_notification_changes_nothing(uow, clock, gateway):
    order = place(uow, clock)
    payment = pay(uow, clock, gateway, order)
    notify(uow, clock, gateway, payment)
    # when
    outcome = notify(uow, clock, gateway, payment)
    # then
    assert outcome == "replayed"
    assert uow.sequences.rows == {"sol-1": 1}
    assert uow.event_types() == ["OrderPaid"]


def test_a_forged_or_mismatched_notification_changes_nothing(uow, clock, gateway):
    order = place(uow, clock)
    payment = pay(uow, clock, gateway, order)
    with pytest.raises(NotAuthenticated):
        notify(uow, clock, gateway, payment, signature="forged")
    with pytest.raises(InvalidInput) as refused:
        notify(uow, clock, gateway, payment, amount_fen=1)
    assert refused.value.fields == {"amount_fen": ["Mismatch."]}
    assert (uow.orders.rows[order.id].status, uow.notifications.rows, uow.events) == (
        "pending_payment",
        {},
        [],
    )


def test_money_for_a_cancelled_order_is_refunded(uow, clock, gateway):
    order = place(uow, clock)
    payment = pay(uow, clock, gateway, order)
    services.cancel_order(uow=uow, clock=clock, gateway=gateway, order_id=order.id, customer_id="cust-1")
    # when
    outcome = notify(uow, clock, gateway, payment)
    # then
    assert outcome == "refunded"
    assert gateway.refunds == [(payment.payment_id, 1200)]
    assert uow.payments.rows[payment.payment_id].status == "refunded"
    assert uow.orders.rows[order.id].status == "cancelled"
    assert uow.event_types() == ["OrderCancelled"]


def test_cancelled_orders_cannot_be_paid(uow, clock, gateway):
    order = place(uow, clock)
    services.cancel_order(uow=uow, clock=clock, gateway=gateway, order_id=order.id, customer_id="cust-1")
    with pytest.raises(Conflict):
        pay(uow, clock, gateway, order)


def test_expiry_cancels_only_the_past_due_orders_once(uow, clock, gateway):
    # given an old order and a fresh one
    old = place(uow, clock)
    clock.advance(seconds=600)
    fresh = place(uow, clock)
    clock.advance(seconds=300)
    # when run twice
    first = services.expire_unpaid_orders(uow=uow, clock=clock, gateway=gateway)
    second = services.expire_unpaid_orders(uow=uow, clock=clock, gateway=gateway)
    # then
    assert (first, second) == (1, 0)
    assert uow.orders.rows[old.id].status == "cancelled"
    assert uow.orders.rows[fresh.id].status == "pending_payment"
    assert uow.event_types() == ["OrderExpired"]


def test_an_order_past_its_deadline_cannot_be_paid_for(uow, clock, gateway):
    order = place(uow, clock)
    clock.advance(seconds=900)
    with pytest.raises(Conflict):
        pay(uow, clock, gateway, order)


def test_the_same_cart_item_adds_up_and_keeps_its_first_price(uow):
    kw = dict(
        customer_id="cust-1",
        store_id="store-1",
        goods_id="g1",
        solitaire_item_id="i1",
        name="鸡蛋",
        image_url="",
    )
    first = services.add_cart_line(uow=uow, price_fen=1200, quantity=1, **kw)
    second = services.add_cart_line(uow=uow, price_fen=999, quantity=2, **kw)
    assert (second.id, second.quantity, second.price_fen, second.subtotal_fen) == (first.id, 3, 1200, 3600)


def test_only_the_carts_owner_changes_its_lines(uow):
    added = services.add_cart_line(
        uow=uow,
        customer_id="cust-1",
        store_id="store-1",
        goods_id="g1",
        solitaire_item_id=None,
        name="鸡蛋",
        image_url="",
        price_fen=1200,
        quantity=1,
    )
    with pytest.raises(NotFound):
        services.change_cart_line(uow=uow, customer_id="cust-2", line_id=added.id, quantity=5)
    with pytest.raises(NotFound):
        services.remove_cart_line(uow=uow, customer_id="cust-2", line_id=added.id)
    changed = services.change_cart_line(uow=uow, customer_id="cust-1", line_id=added.id, quantity=5)
    assert changed.quantity == 5
    services.remove_cart_line(uow=uow, customer_id="cust-1", line_id=added.id)
    assert uow.carts.lines == {}


def place_goods(uow, clock, goods, *lines, key=None, directory=None):
    return services.place_goods_order(
        uow=uow,
        clock=clock,
        goods=goods,
        stores=directory or stores(),
        payment_timeout_seconds=900,
        customer_id="cust-1",
        store_id="store-1",
        lines=goods_lines(*lines),
        pickup=PICKUP,
        contact=CONTACT,
        idempotency_key=key,
    )


def test_a_goods_order_under_a_used_key_is_the_first_order_and_reserves_nothing_more(uow, clock):
    # given
    goods = FakeGoods()
    goods.put("g1", stock=5)
    first = place_goods(uow, clock, goods, ("g1", 2), key="k-1")
    # when the same key comes again, even with other lines
    again = place_goods(uow, clock, goods, ("g1", 3), key="k-1")
    # then
    assert again == first
    assert (list(uow.orders.rows), goods.stock["g1"]) == ([first.id], 3)


def test_a_goods_order_whose_key_a_twin_took_meanwhile_answers_with_the_twins_order(uow, clock):
    # given a twin that committed between our look-up and our insert
    goods = FakeGoods()
    goods.put("g1", stock=5)
    twin = place_goods(uow, clock, goods, ("g1", 1), key="k-1")
    real_lookup = uow.orders.by_idempotency_key
    lookups = []

    def racing_lookup(customer_id, key):
        lookups.append(key)
        return None if len(lookups) == 1 else real_lookup(customer_id, key)

    uow.orders.by_idempotency_key = racing_lookup
    # when
    answer = place_goods(uow, clock, goods, ("g1", 1), key="k-1")
    # then the twin's order is the answer and our order is not there
    assert answer == twin
    assert (list(uow.orders.rows), lookups) == ([twin.id], ["k-1", "k-1"])


def test_lines_of_the_same_goods_are_merged_into_one(uow, clock):
    goods = FakeGoods()
    goods.put("g1", stock=5)
    goods.put("g2", stock=5)
    order = place_goods(uow, clock, goods, ("g1", 1), ("g2", 1), ("g1", 2))
    assert [(line.goods_id, line.quantity) for line in order.lines] == [("g1", 3), ("g2", 1)]
    assert (goods.stock["g1"], goods.stock["g2"]) == (2, 4)
