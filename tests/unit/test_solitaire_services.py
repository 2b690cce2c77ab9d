"""Solitaire use cases with in-memory fakes: no database, no other context."""

from dataclasses import replace
from datetime import timedelta

import pytest

from contexts.ordering.contracts import Pickup, Resale
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from contexts.solitaire import services
from contexts.solitaire.contracts import ItemInput
from tests.support.solitaire import NOW, create, item_of, join, make_world, published


@pytest.fixture
def world():
    return make_world()


def test_the_owner_creates_a_draft_and_nothing_is_created_for_a_clerk_or_bad_goods(world):
    # when
    solitaire_id = create(world)
    # then
    assert world.uow.solitaires.rows[solitaire_id].status == "draft"
    with pytest.raises(PermissionDenied):
        create(world, actor="clerk")
    with pytest.raises(InvalidInput):
        create(world, items=[ItemInput(goods_id="gx", stock=1)])
    with pytest.raises(InvalidInput):
        create(world, items=[ItemInput(goods_id="nope", stock=1)])
    with pytest.raises(NotFound):
        create(world, store="s9")
    assert list(world.uow.solitaires.rows) == [solitaire_id]


def test_a_join_reserves_stock_and_places_the_order_priced_by_the_snapshot(world):
    # given
    solitaire_id = published(world)
    world.goods.goods["g1"] = replace(world.goods.goods["g1"], price_fen=1)  # edited later: no effect
    # when
    join(world, solitaire_id, [(item_of(world, solitaire_id).id, 2)])
    # then
    item = item_of(world, solitaire_id)
    assert (item.sold, item.remaining) == (2, 8)
    [order] = world.ordering.orders
    assert [(line.name, line.price_fen, line.quantity) for line in order["lines"]] == [("Apples", 1200, 2)]
    assert (order["store_id"], order["solitaire_id"]) == ("s1", solitaire_id)


def test_a_join_through_a_resale_hands_ordering_the_terms_in_force_now(world):
    # given a resale of this solitaire at 1000 bps, billed daily
    solitaire_id = published(world)
    world.franchises.offer("r1", solitaire_id=solitaire_id, commission_bps=1000, cycle="daily")
    # when
    join(world, solitaire_id, [(item_of(world, solitaire_id).id, 1)], resale_id="r1")
    # then
    [order] = world.ordering.orders
    assert order["resale"] == Resale(
        resale_id="r1", affiliate_store_id="s2", commission_bps=1000, billing_cycle="daily"
    )


def test_a_resale_of_another_solitaire_is_refused_and_reserves_nothing(world):
    # given a resale of another solitaire
    solitaire_id = published(world)
    world.franchises.offer("r1", solitaire_id="elsewhere")
    # when
    with pytest.raises(Conflict) as caught:
        join(world, solitaire_id, [(item_of(world, solitaire_id).id, 1)], resale_id="r1")
    # then
    assert caught.value.code == "franchise_disabled"
    assert item_of(world, solitaire_id).sold == 0
    assert world.ordering.orders == []


def test_limit_exceeded_rolls_the_reservation_back(world):
    # given one unit already ordered, limit 2
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    join(world, solitaire_id, [(item_id, 1)])
    # when
    with pytest.raises(Conflict) as caught:
        join(world, solitaire_id, [(item_id, 2)])
    # then
    assert caught.value.code == "limit_exceeded"
    assert item_of(world, solitaire_id).sold == 1
    assert len(world.ordering.orders) == 1


def test_out_of_stock_changes_nothing(world):
    solitaire_id = published(
        world, items=[ItemInput(goods_id="g1", stock=3), ItemInput(goods_id="g2", stock=1)]
    )
    first, second = world.uow.solitaires.rows[solitaire_id].items
    with pytest.raises(Conflict) as caught:
        join(world, solitaire_id, [(first.id, 1), (second.id, 2)])
    assert caught.value.code == "out_of_stock"
    assert [i.sold for i in world.uow.solitaires.rows[solitaire_id].items] == [0, 0]
    assert world.ordering.orders == []


def test_the_same_idempotency_key_reserves_once(world):
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    first = join(world, solitaire_id, [(item_id, 1)], key="k1")
    again = join(world, solitaire_id, [(item_id, 1)], key="k1")
    assert first == again == {**first, "order": 1}
    assert item_of(world, solitaire_id).sold == 1


def test_a_twin_that_took_the_key_first_is_the_answer_and_our_reservation_rolls_back(world):
    # given a twin request of the same key that committed while ours was running (the first
    # look-up found nothing, then ordering refuses the key)
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    twin = join(world, solitaire_id, [(item_id, 1)], key="k1")
    lookups = []
    real_lookup = world.ordering.order_by_idempotency_key

    def racing_lookup(**key):
        lookups.append(key)
        return None if len(lookups) == 1 else real_lookup(**key)

    world.ordering.order_by_idempotency_key = racing_lookup
    # when ours runs
    answer = join(world, solitaire_id, [(item_id, 1)], key="k1")
    # then the twin's order is the answer and only the twin's stock stays reserved
    assert answer == twin
    assert len(lookups) == 2
    assert item_of(world, solitaire_id).sold == 1
    assert len(world.ordering.orders) == 1


def test_joining_a_draft_a_frozen_store_or_an_unknown_solitaire_is_refused(world):
    draft_id = create(world)
    with pytest.raises(Conflict) as caught:
        join(world, draft_id, [(item_of(world, draft_id).id, 1)])
    assert caught.value.code == "solitaire_not_open"
    solitaire_id = published(world)
    world.stores.stores["s1"]["active"] = False
    with pytest.raises(Conflict) as caught:
        join(world, solitaire_id, [(item_of(world, solitaire_id).id, 1)])
    assert caught.value.code == "solitaire_not_open"
    with pytest.raises(NotFound):
        join(world, "nope", [("x", 1)])


def test_a_pickup_point_outside_the_solitaire_is_invalid(world):
    solitaire_id = published(world)
    with pytest.raises(InvalidInput):
        join(
            world,
            solitaire_id,
            [(item_of(world, solitaire_id).id, 1)],
            pickup=Pickup(method="pickup", pickup_point_id="p2"),
        )
    assert item_of(world, solitaire_id).sold == 0


def test_a_frozen_store_cannot_publish(world):
    solitaire_id = create(world)
    world.stores.stores["s1"]["active"] = False
    with pytest.raises(Conflict) as caught:
        services.publish_solitaire(
            uow=world.uow,
            stores=world.stores,
            access=world.access,
            actor_id="owner",
            solitaire_id=solitaire_id,
        )
    assert caught.value.code == "invalid_state"
    assert world.uow.solitaires.rows[solitaire_id].status == "draft"


def test_an_edit_never_overwrites_sold_and_refuses_a_price_change_after_sales(world):
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    join(world, solitaire_id, [(item_id, 1)])
    services.update_solitaire(
        uow=world.uow,
        stores=world.stores,
        access=world.access,
        goods=world.goods,
        actor_id="owner",
        solitaire_id=solitaire_id,
        items=[ItemInput(id=item_id, stock=50)],
    )
    assert (item_of(world, solitaire_id).stock, item_of(world, solitaire_id).sold) == (50, 1)
    with pytest.raises(Conflict) as caught:
        services.update_solitaire(
            uow=world.uow,
            stores=world.stores,
            access=world.access,
            goods=world.goods,
            actor_id="owner",
            solitaire_id=solitaire_id,
            items=[ItemInput(id=item_id, stock=50, price_fen=999)],
        )
    assert caught.value.code == "item_has_sales"
    assert item_of(world, solitaire_id).price_fen == 1200


def test_stock_is_released_once_per_order_whatever_events_arrive(world):
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    join(world, solitaire_id, [(item_id, 2)])
    lines = [{"solitaire_item_id": item_id, "quantity": 2, "name": "Apples"}]
    kw = dict(uow=world.uow, clock=world.clock, order_id="o1", solitaire_id=solitaire_id, lines=lines)
    assert services.release_order_stock(reason="cancelled", **kw) is True
    assert services.release_order_stock(reason="expired", **kw) is False
    assert item_of(world, solitaire_id).sold == 0
    assert services.release_order_stock(**{**kw, "solitaire_id": None}, reason="cancelled") is False


def test_a_paid_order_becomes_one_participation(world):
    kw = dict(
        uow=world.uow,
        order_id="o1",
        solitaire_id="sol",
        customer_id="c1",
        sequence_no=1,
        lines=[{"name": "Apples", "quantity": 2, "price_fen": 1}],
        paid_at=NOW,
    )
    assert services.record_participation(**kw) is True
    assert services.record_participation(**kw) is False
    assert world.uow.participations.rows["o1"].items == [{"name": "Apples", "quantity": 2}]


def test_adding_an_item_to_the_cart_uses_its_snapshot_and_needs_an_open_solitaire(world):
    solitaire_id = published(world)
    item_id = item_of(world, solitaire_id).id
    kw = dict(
        uow=world.uow, stores=world.stores, ordering=world.ordering, clock=world.clock, customer_id="c1"
    )
    services.add_item_to_cart(solitaire_item_id=item_id, quantity=2, **kw)
    assert world.ordering.cart == [
        {
            "customer_id": "c1",
            "store_id": "s1",
            "goods_id": "g1",
            "solitaire_item_id": item_id,
            "name": "Apples",
            "image_url": "https://img/x.png",
            "price_fen": 1200,
            "quantity": 2,
        }
    ]
    world.clock.at = NOW + timedelta(days=1)
    with pytest.raises(Conflict) as caught:
        services.add_item_to_cart(solitaire_item_id=item_id, quantity=1, **kw)
    assert caught.value.code == "solitaire_not_open"
    with pytest.raises(InvalidInput):
        services.add_item_to_cart(solitaire_item_id="nope", quantity=1, **kw)
