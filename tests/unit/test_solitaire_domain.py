"""The Solitaire aggregate on its own: creation rules, revisions, life cycle, joining plans."""

from datetime import timedelta

import pytest

from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.solitaire.contracts import KEEP, ItemInput
from contexts.solitaire.domain.model import Solitaire
from tests.support.solitaire import NOW, Snap

SNAPS = {
    "g1": Snap("g1", "s1", "Apples", 1200),
    "g2": Snap("g2", "s1", "Pears", 800),
    "g3": Snap("g3", "s1", "Plums", 500),
    "gx": Snap("gx", "other-store", "Foreign", 100),
}


def ids():
    counter = iter(range(1, 1000))
    return lambda: f"i{next(counter)}"


def make(items=None, **overrides) -> Solitaire:
    kwargs = dict(
        solitaire_id="sol1",
        store_id="s1",
        title="Fruit Friday",
        description="",
        start_at=NOW - timedelta(hours=1),
        end_at=NOW + timedelta(hours=1),
        pickup_point_ids=["p1"],
        store_pickup_point_ids=["p1", "p2"],
        items=items
        if items is not None
        else [ItemInput(goods_id="g1", stock=10), ItemInput(goods_id="g2", stock=5, price_fen=700)],
        snapshots=SNAPS,
        new_item_id=ids(),
        now=NOW,
    )
    kwargs.update(overrides)
    return Solitaire.draft(**kwargs)


def test_a_new_solitaire_is_a_draft_whose_items_copy_the_goods_snapshot():
    # when
    solitaire = make()
    # then
    assert solitaire.status == "draft"
    assert [
        (i.id, i.goods_id, i.name, i.price_fen, i.base_price_fen, i.stock, i.sold) for i in solitaire.items
    ] == [
        ("i1", "g1", "Apples", 1200, 1200, 10, 0),
        ("i2", "g2", "Pears", 700, 800, 5, 0),
    ]
    assert solitaire.items[0].per_customer_limit is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_at": NOW - timedelta(hours=1)}, "end_at"),
        ({"items": []}, "items"),
        ({"pickup_point_ids": []}, "pickup_point_ids"),
        ({"pickup_point_ids": ["p9"]}, "pickup_point_ids"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_solitaire_input_is_invalid_with_its_field(overrides, field):
    # when / then
    with pytest.raises(InvalidInput) as caught:
        make(**overrides)
    assert list(caught.value.fields) == [field]


@pytest.mark.parametrize(
    "item",
    [
        ItemInput(goods_id="g1", stock=-1),
        ItemInput(goods_id="g1", stock=1, price_fen=0),
        ItemInput(goods_id="g1", stock=1, per_customer_limit=0),
        ItemInput(goods_id="gx", stock=1),
        ItemInput(goods_id="nope", stock=1),
    ],
)
def test_bad_items_are_invalid(item):
    with pytest.raises(InvalidInput) as caught:
        make(items=[item])
    assert list(caught.value.fields) == ["items"]


def test_is_open_only_while_published_and_inside_the_window():
    # given
    solitaire = make()
    # then
    assert solitaire.is_open(NOW) is False  # draft
    solitaire.publish(store_active=True)
    assert solitaire.is_open(NOW) is True
    assert solitaire.is_open(solitaire.start_at) is True
    assert solitaire.is_open(solitaire.end_at) is False
    assert solitaire.is_open(solitaire.start_at - timedelta(seconds=1)) is False
    solitaire.close(now=NOW)
    assert solitaire.is_open(NOW) is False


def test_publish_records_an_event_and_a_frozen_store_cannot_publish():
    # given
    solitaire = make()
    # when / then
    with pytest.raises(Conflict) as caught:
        solitaire.publish(store_active=False)
    assert caught.value.code == "invalid_state"
    solitaire.publish(store_active=True)
    assert [e.event_type for e in solitaire.pull_events()] == ["SolitairePublished"]
    with pytest.raises(Conflict):
        solitaire.publish(store_active=True)


def test_close_needs_a_published_solitaire():
    with pytest.raises(Conflict) as caught:
        make().close(now=NOW)
    assert caught.value.code == "invalid_state"


def test_revising_items_matches_by_id_then_by_goods_adds_new_and_removes_the_unlisted():
    # given
    solitaire = make()
    # when
    solitaire.revise(
        items=[
            ItemInput(id="i2", stock=6),
            ItemInput(goods_id="g1", stock=20, price_fen=1000, per_customer_limit=2),
            ItemInput(goods_id="g3", stock=3),
        ],
        snapshots=SNAPS,
        new_item_id=lambda: "i9",
    )
    # then
    assert [(i.id, i.goods_id, i.price_fen, i.stock, i.per_customer_limit) for i in solitaire.items] == [
        ("i2", "g2", 700, 6, None),
        ("i1", "g1", 1000, 20, 2),
        ("i9", "g3", 500, 3, None),
    ]
    assert solitaire.removed_item_ids == []


def test_removing_an_item_without_sales_is_allowed_but_not_one_with_sales():
    solitaire = make()
    solitaire.revise(items=[ItemInput(goods_id="g1", stock=10)])
    assert [i.id for i in solitaire.items] == ["i1"] and solitaire.removed_item_ids == ["i2"]
    solitaire.items[0].sold = 1
    with pytest.raises(Conflict) as caught:
        solitaire.revise(items=[ItemInput(goods_id="g3", stock=1)], snapshots=SNAPS, new_item_id=lambda: "i9")
    assert caught.value.code == "item_has_sales"


def test_an_item_with_sales_keeps_its_price_and_its_stock_never_goes_below_sold():
    # given an item with 4 sold
    solitaire = make()
    solitaire.items[0].sold = 4
    # when / then the price cannot change
    with pytest.raises(Conflict) as caught:
        solitaire.revise(
            items=[ItemInput(goods_id="g1", stock=10, price_fen=999), ItemInput(id="i2", stock=5)]
        )
    assert caught.value.code == "item_has_sales"
    # and the stock cannot drop below the 4 sold
    with pytest.raises(InvalidInput):
        solitaire.revise(items=[ItemInput(goods_id="g1", stock=3), ItemInput(id="i2", stock=5)])
    # but the same price and a stock of exactly 4 are fine; KEEP keeps the limit
    solitaire.revise(items=[ItemInput(goods_id="g1", stock=4, price_fen=1200), ItemInput(id="i2", stock=5)])
    assert (solitaire.items[0].stock, solitaire.items[0].price_fen, solitaire.items[0].remaining) == (
        4,
        1200,
        0,
    )


def test_a_closed_solitaire_cannot_be_revised():
    solitaire = make()
    solitaire.publish(store_active=True)
    solitaire.close(now=NOW)
    with pytest.raises(Conflict) as caught:
        solitaire.revise(title="New")
    assert caught.value.code == "invalid_state"


def test_a_revision_keeps_fields_not_given_and_checks_the_window():
    solitaire = make()
    solitaire.revise(title="Veggie Monday", description=KEEP)
    assert (solitaire.title, solitaire.description) == ("Veggie Monday", "")
    with pytest.raises(InvalidInput):
        solitaire.revise(end_at=solitaire.start_at)


def test_a_join_plan_merges_lines_sorts_by_item_and_checks_points():
    # given
    solitaire = make()
    solitaire.publish(store_active=True)
    # when
    plan = solitaire.plan_join(
        now=NOW, store_active=True, lines=[("i2", 1), ("i1", 2), ("i2", 2)], pickup_point_id="p1"
    )
    # then
    assert [(r.item.id, r.quantity) for r in plan] == [("i1", 2), ("i2", 3)]
    with pytest.raises(InvalidInput):
        solitaire.plan_join(now=NOW, store_active=True, lines=[("i1", 1)], pickup_point_id="p2")
    with pytest.raises(InvalidInput):
        solitaire.plan_join(now=NOW, store_active=True, lines=[("zz", 1)], pickup_point_id="p1")
    with pytest.raises(InvalidInput):
        solitaire.plan_join(now=NOW, store_active=True, lines=[("i1", 0)], pickup_point_id="p1")


@pytest.mark.parametrize("when", ["draft", "before", "after", "closed", "frozen"])
def test_joining_outside_the_open_window_is_solitaire_not_open(when):
    solitaire = make()
    now, active = NOW, True
    if when != "draft":
        solitaire.publish(store_active=True)
    if when == "before":
        now = solitaire.start_at - timedelta(minutes=1)
    if when == "after":
        now = solitaire.end_at
    if when == "closed":
        solitaire.close(now=NOW)
    if when == "frozen":
        active = False
    with pytest.raises(Conflict) as caught:
        solitaire.plan_join(now=now, store_active=active, lines=[("i1", 1)], pickup_point_id="p1")
    assert caught.value.code == "solitaire_not_open"


def test_the_limit_counts_what_was_already_ordered():
    solitaire = make(items=[ItemInput(goods_id="g1", stock=10, per_customer_limit=3)])
    item = solitaire.items[0]
    item.check_limit(already=2, quantity=1)
    with pytest.raises(Conflict) as caught:
        item.check_limit(already=2, quantity=2)
    assert caught.value.code == "limit_exceeded"
