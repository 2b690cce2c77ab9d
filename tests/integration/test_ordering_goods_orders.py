"""Orders outside a solitaire on the real database: stock, idempotency keys, snapshots."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.goods.models import Goods
from contexts.ordering import bootstrap, queries, services
from contexts.ordering.adapters.clients import GoodsServicesCatalog
from contexts.ordering.adapters.orm import DjangoOrderingUow
from contexts.ordering.contracts import GoodsLineRequest, Pickup
from contexts.ordering.models import Order
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import store_directory
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from tests.integration.test_ordering_helpers import CONTACT, make_goods, make_store
from tests.support.threads import run_at_once


def buy(
    store_id: str, point_id: str, goods_id: str, *, customer_id: str = "cust-1", quantity: int = 1, key=None
):
    return bootstrap.place_goods_order(
        customer_id=customer_id,
        store_id=store_id,
        lines=[GoodsLineRequest(goods_id=goods_id, quantity=quantity)],
        pickup=Pickup(method="pickup", pickup_point_id=point_id),
        contact=CONTACT,
        remark="",
        idempotency_key=key,
    )


def stock(goods_id: str) -> int:
    return Goods.objects.get(pk=goods_id).stock


@pytest.mark.django_db
def test_a_goods_order_snapshots_the_goods_and_reserves_their_stock():
    # given
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, stock=10, price_fen=1250)
    # when
    order = buy(store_id, point_id, goods_id, quantity=3)
    # then
    assert (order.status, order.total_fen, order.solitaire_id, stock(goods_id)) == (
        "pending_payment",
        3750,
        None,
        7,
    )
    assert [(line.name, line.image_url, line.price_fen, line.quantity) for line in order.lines] == [
        ("鸡蛋", "https://img/egg.png", 1250, 3)
    ]


@pytest.mark.django_db
def test_editing_the_goods_later_changes_no_order_and_no_cart_line():
    # given an order and a cart line taken at 1250
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, price_fen=1250)
    order = buy(store_id, point_id, goods_id)
    line = bootstrap.add_goods_to_cart(customer_id="cust-1", goods_id=goods_id, quantity=1)
    # when the merchant renames and reprices the goods
    Goods.objects.filter(pk=goods_id).update(
        name="新鸡蛋", price_fen=9900, image_urls=["https://img/new.png"]
    )
    # then
    again = queries.order_for_viewer(order_id=order.id, viewer_id="cust-1")
    assert (again.lines[0].name, again.lines[0].price_fen, again.total_fen) == ("鸡蛋", 1250, 1250)
    cart = queries.cart(customer_id="cust-1", store_id=store_id)
    assert [(x.id, x.name, x.price_fen, x.image_url) for x in cart.lines] == [
        (line.id, "鸡蛋", 1250, "https://img/egg.png")
    ]


@pytest.mark.django_db
def test_one_short_line_undoes_the_whole_order():
    store_id, point_id = make_store()
    plenty, scarce = make_goods(store_id, stock=10), make_goods(store_id, stock=1, name="牛奶")
    with pytest.raises(Conflict) as refused:
        bootstrap.place_goods_order(
            customer_id="cust-1",
            store_id=store_id,
            lines=[
                GoodsLineRequest(goods_id=plenty, quantity=2),
                GoodsLineRequest(goods_id=scarce, quantity=2),
            ],
            pickup=Pickup(method="pickup", pickup_point_id=point_id),
            contact=CONTACT,
            remark="",
        )
    assert refused.value.code == "out_of_stock"
    assert (stock(plenty), stock(scarce), Order.objects.count()) == (10, 1, 0)


@pytest.mark.django_db
def test_a_frozen_or_unknown_store_and_a_foreign_pickup_point_are_refused():
    frozen_id, frozen_point = make_store(status="frozen")
    goods_id = make_goods(frozen_id)
    with pytest.raises(Conflict) as refused:
        buy(frozen_id, frozen_point, goods_id)
    assert (refused.value.code, refused.value.detail) == ("invalid_state", "The store is frozen.")
    with pytest.raises(NotFound):
        buy("no-such-store", frozen_point, goods_id)
    store_id, _point = make_store()
    with pytest.raises(InvalidInput):
        buy(store_id, frozen_point, make_goods(store_id))
    assert Order.objects.count() == 0


@pytest.mark.django_db
def test_the_same_idempotency_key_returns_the_same_order_and_reserves_nothing_more():
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, stock=10)
    first = buy(store_id, point_id, goods_id, quantity=2, key="k-1")
    second = buy(store_id, point_id, goods_id, quantity=2, key="k-1")
    other_customer = buy(store_id, point_id, goods_id, quantity=2, key="k-1", customer_id="cust-2")
    assert second == first
    assert other_customer.id != first.id
    assert (stock(goods_id), Order.objects.count()) == (6, 2)


@pytest.mark.django_db
def test_a_twin_losing_the_key_race_rolls_its_reservation_back_and_gets_the_winners_order():
    # given the winner's order is stored, but the loser looked before it was
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, stock=10)
    winner = buy(store_id, point_id, goods_id, key="k-race")
    uow = DjangoOrderingUow()
    stored_lookup, looks = uow.orders.by_idempotency_key, []

    def late_lookup(customer_id, key):
        looks.append(key)
        return None if len(looks) == 1 else stored_lookup(customer_id, key)

    uow.orders.by_idempotency_key = late_lookup
    # when the loser places its order under the same key
    result = services.place_goods_order(
        uow=uow,
        clock=DjangoClock(),
        goods=GoodsServicesCatalog(),
        stores=store_directory(),
        payment_timeout_seconds=900,
        customer_id="cust-1",
        store_id=store_id,
        lines=[GoodsLineRequest(goods_id=goods_id, quantity=1)],
        pickup=Pickup(method="pickup", pickup_point_id=point_id),
        contact=CONTACT,
        idempotency_key="k-race",
    )
    # then the database refused the key, the reservation rolled back, and the winner answers
    assert (result, looks) == (winner, ["k-race", "k-race"])
    assert (stock(goods_id), Order.objects.count()) == (9, 1)


@pytest.mark.django_db(transaction=True)
def test_two_threads_with_one_key_make_one_order_and_reserve_once():
    # given
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, stock=10)
    # when the same request arrives twice at the same moment
    outcomes = run_at_once(
        [lambda: buy(store_id, point_id, goods_id, quantity=3, key="k-twin")] * 2,
        on_success=lambda order: order.id,
    )
    # then both answers are the one order, and the stock moved once
    [order_id] = Order.objects.values_list("id", flat=True)
    assert outcomes == [order_id, order_id]
    assert stock(goods_id) == 7


@pytest.mark.django_db(transaction=True)
def test_thirty_threads_buying_one_of_ten_make_exactly_ten_orders():
    # given
    store_id, point_id = make_store()
    goods_id = make_goods(store_id, stock=10)
    # when
    outcomes = run_at_once(
        [lambda: buy(store_id, point_id, goods_id, customer_id=str(uuid.uuid4()))] * 30,
        on_success=lambda _: "ok",
    )
    # then
    assert sorted(outcomes) == ["ok"] * 10 + ["out_of_stock"] * 20
    assert (Order.objects.count(), stock(goods_id)) == (10, 0)


@pytest.mark.django_db
def test_a_goods_order_asks_the_store_once_before_its_pickup_point():
    # given
    store_id, point_id = make_store()
    goods_id = make_goods(store_id)
    # when
    with CaptureQueriesContext(connection) as queries:
        buy(store_id, point_id, goods_id)
    # then: the store's state once, its pickup points once
    store_reads = [q["sql"] for q in queries.captured_queries if "store_store" in q["sql"]]
    point_reads = [q["sql"] for q in queries.captured_queries if "store_pickuppoint" in q["sql"]]
    assert (len(store_reads), len(point_reads)) == (1, 1)
