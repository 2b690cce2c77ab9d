"""Goods use cases with in-memory fakes: no database."""

import copy
from dataclasses import FrozenInstanceError, replace
from datetime import datetime, timedelta

import pytest

from contexts.goods import services
from contexts.goods.domain import ports
from contexts.goods.domain.model import ON_SALE, Category, Goods, HotWord
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.support.fakes import SHANGHAI, T0, FakeAccess, FakeStoreDirectory, FakeUnitOfWork, FixedClock


class FakeGoodsRepository(ports.GoodsRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Goods] = {}

    def get(self, goods_id):
        row = self.rows.get(goods_id)
        return copy.deepcopy(row) if row else None

    def add(self, goods):
        self.rows[goods.id] = copy.deepcopy(goods)

    def save(self, goods):
        kept = self.rows[goods.id]
        self.rows[goods.id] = replace(copy.deepcopy(goods), sales=kept.sales)

    def reserve_stock(self, goods_id, quantity):
        row = self.rows.get(goods_id)
        if row is None or row.status != ON_SALE or row.stock < quantity:
            return False
        row.stock -= quantity
        return True

    def release_stock(self, goods_id, quantity):
        if goods_id not in self.rows:
            return False
        self.rows[goods_id].stock += quantity
        return True

    def add_sales(self, goods_id, quantity):
        if goods_id not in self.rows:
            return False
        self.rows[goods_id].sales += quantity
        return True

    def remove_sales(self, goods_id, quantity):
        if goods_id not in self.rows:
            return False
        self.rows[goods_id].sales = max(self.rows[goods_id].sales - quantity, 0)
        return True


class FakeCategoryRepository(ports.CategoryRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Category] = {}

    def get(self, category_id):
        return self.rows.get(category_id)

    def names(self, store_id):
        return {c.name for c in self.rows.values() if c.store_id == store_id}

    def max_sort(self, store_id):
        return max((c.sort for c in self.rows.values() if c.store_id == store_id), default=0)

    def add(self, category):
        self.rows[category.id] = category


class FakeHotWordRepository(ports.HotWordRepository):
    def __init__(self) -> None:
        self.rows: list[HotWord] = []

    def words(self, store_id):
        return {w.word for w in self.rows if w.store_id == store_id}

    def add(self, hot_word):
        self.rows.append(hot_word)


def fake_uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        goods=FakeGoodsRepository(), categories=FakeCategoryRepository(), hot_words=FakeHotWordRepository()
    )


@pytest.fixture
def world():
    uow, stores = fake_uow(), FakeStoreDirectory()
    stores.add("s1")
    stores.add("s2")
    access = FakeAccess({("boss", "s1"): "owner", ("mgr", "s1"): "manager", ("clerk", "s1"): "clerk"})
    uow.categories.add(Category(id="c1", store_id="s1", name="水果", sort=1))
    uow.categories.add(Category(id="c2", store_id="s2", name="蔬菜", sort=1))
    return {"uow": uow, "clock": FixedClock(T0), "stores": stores, "access": access}


def create(world, **fields):
    defaults = {"actor_id": "boss", "store_id": "s1", "name": "苹果", "price_fen": 500, "stock": 10}
    return services.create_goods(**world, **(defaults | fields))


def edit(world, goods_id, actor_id="boss", **changes):
    kwargs = {k: world[k] for k in ("uow", "clock", "access")}
    return services.edit_goods(**kwargs, actor_id=actor_id, goods_id=goods_id, changes=changes)


def take_off(world, goods_id, actor_id):
    kwargs = {k: world[k] for k in ("uow", "clock", "access")}
    services.take_off_shelf(**kwargs, actor_id=actor_id, goods_id=goods_id)


def test_an_owner_creates_goods_in_a_category_of_the_store(world):
    # when
    view = create(world, category_id="c1", image_urls=["https://img/a.png"])
    # then
    stored = world["uow"].goods.rows[view.id]
    assert (stored.name, stored.price_fen, stored.stock, stored.category_id) == ("苹果", 500, 10, "c1")
    assert view.image_urls == ("https://img/a.png",)
    assert (view.status, view.sales, view.created_at) == ("on_sale", 0, T0)


@pytest.mark.parametrize("actor_id", ["clerk", "stranger"])
def test_only_owner_and_manager_create_goods(world, actor_id):
    with pytest.raises(PermissionDenied):
        create(world, actor_id=actor_id)
    assert world["uow"].goods.rows == {}
    assert create(world, actor_id="mgr").name == "苹果"


def test_a_category_of_another_store_or_unknown_is_400_and_nothing_is_created(world):
    for category_id in ("c2", "nope", 7):
        with pytest.raises(InvalidInput) as refused:
            create(world, category_id=category_id)
        assert list(refused.value.fields) == ["category_id"]
    assert world["uow"].goods.rows == {}


def test_goods_in_an_unknown_store_are_404(world):
    with pytest.raises(NotFound):
        create(world, store_id="s404")


def test_an_edit_moves_goods_to_another_category_and_clears_it(world):
    # given
    goods = create(world)
    world["uow"].categories.add(Category(id="c3", store_id="s1", name="蔬菜", sort=2))
    world["clock"].advance(hours=1)
    # when
    moved = edit(world, goods.id, category_id="c3", price_fen=650)
    cleared = edit(world, goods.id, category_id=None)
    # then
    assert (moved.category_id, moved.price_fen, moved.updated_at) == ("c3", 650, T0 + timedelta(hours=1))
    assert (cleared.category_id, cleared.price_fen) == (None, 650)


def test_a_bad_edit_changes_nothing(world):
    goods = create(world)
    for changes in ({"price_fen": 0}, {"stock": -1}, {"category_id": "c2"}, {"name": ""}):
        with pytest.raises(InvalidInput):
            edit(world, goods.id, **changes)
    stored = world["uow"].goods.rows[goods.id]
    assert (stored.name, stored.price_fen, stored.stock, stored.category_id) == ("苹果", 500, 10, None)


def test_a_clerk_cannot_edit_or_take_off_and_unknown_goods_are_404(world):
    goods = create(world)
    with pytest.raises(PermissionDenied):
        edit(world, goods.id, actor_id="clerk", name="梨")
    with pytest.raises(PermissionDenied):
        take_off(world, goods.id, actor_id="clerk")
    with pytest.raises(NotFound):
        edit(world, "missing", name="梨")
    assert world["uow"].goods.rows[goods.id].name == "苹果"
    assert world["uow"].goods.rows[goods.id].status == "on_sale"


def test_taking_goods_off_the_shelf(world):
    goods = create(world)
    take_off(world, goods.id, actor_id="mgr")
    assert world["uow"].goods.rows[goods.id].status == "off_shelf"


def test_categories_go_last_and_names_are_unique_per_store(world):
    kwargs = {k: world[k] for k in ("uow", "stores", "access")}
    # when
    made = services.create_category(**kwargs, actor_id="boss", store_id="s1", name=" 零食 ")
    # then
    assert (made.name, made.sort, made.store_id) == ("零食", 2, "s1")
    with pytest.raises(InvalidInput) as duplicate:
        services.create_category(**kwargs, actor_id="boss", store_id="s1", name="水果")
    assert list(duplicate.value.fields) == ["name"]
    with pytest.raises(PermissionDenied):
        services.create_category(**kwargs, actor_id="clerk", store_id="s1", name="饮料")
    mine = sorted(c.name for c in world["uow"].categories.rows.values() if c.store_id == "s1")
    assert mine == ["水果", "零食"]


def test_seeding_twice_creates_the_defaults_once(world):
    uow = fake_uow()
    july = datetime(2025, 7, 3, tzinfo=SHANGHAI)
    # when
    services.seed_store_defaults(uow=uow, store_id="s9", created_at=july)
    services.seed_store_defaults(uow=uow, store_id="s9", created_at=july)
    # then
    assert sorted((c.sort, c.name) for c in uow.categories.rows.values()) == [
        (1, "西瓜鲜果"),
        (2, "冷饮冰品"),
        (3, "凉拌蔬菜"),
        (4, "粮油调味"),
        (5, "日用百货"),
    ]
    assert [(w.word, w.sort) for w in uow.hot_words.rows] == [
        ("鸡蛋", 1),
        ("水果", 2),
        ("牛奶", 3),
        ("大米", 4),
        ("纸巾", 5),
    ]


def test_a_snapshot_is_a_frozen_copy_that_later_edits_do_not_touch(world):
    # given
    goods = create(world, image_urls=["https://img/a.png", "https://img/b.png"])
    # when
    snapshot = services.snapshot_goods(uow=world["uow"], clock=world["clock"], goods_id=goods.id)
    edit(world, goods.id, name="红富士", price_fen=999, image_urls=[])
    # then
    assert (snapshot.goods_id, snapshot.store_id, snapshot.name, snapshot.price_fen, snapshot.image_url) == (
        goods.id,
        "s1",
        "苹果",
        500,
        "https://img/a.png",
    )
    assert snapshot.taken_at == T0
    with pytest.raises(FrozenInstanceError):
        snapshot.price_fen = 1  # type: ignore[misc]
    again = services.snapshot_goods(uow=world["uow"], clock=world["clock"], goods_id=goods.id)
    assert (again.name, again.price_fen, again.image_url) == ("红富士", 999, "")


def test_snapshots_of_off_shelf_or_foreign_goods_are_refused(world):
    goods = create(world)
    kwargs = {"uow": world["uow"], "clock": world["clock"], "goods_id": goods.id}
    with pytest.raises(NotFound):
        services.snapshot_goods(**kwargs, store_id="s2")
    edit(world, goods.id, status="off_shelf")
    with pytest.raises(Conflict) as off:
        services.snapshot_goods(**kwargs)
    assert off.value.code == "invalid_state"
    assert services.snapshot_goods(**kwargs, require_on_sale=False).name == "苹果"


def test_reserving_takes_stock_until_none_is_left(world):
    goods = create(world, stock=3)
    uow = world["uow"]
    services.reserve_stock(uow=uow, goods_id=goods.id, quantity=2)
    with pytest.raises(Conflict) as out:
        services.reserve_stock(uow=uow, goods_id=goods.id, quantity=2)
    assert out.value.code == "out_of_stock"
    assert uow.goods.rows[goods.id].stock == 1


def test_reserving_off_shelf_unknown_or_with_a_bad_quantity_is_refused(world):
    goods = create(world, stock=3)
    uow = world["uow"]
    for quantity in (0, -1, 1.5, "1", True):
        with pytest.raises(InvalidInput):
            services.reserve_stock(uow=uow, goods_id=goods.id, quantity=quantity)
    with pytest.raises(NotFound):
        services.reserve_stock(uow=uow, goods_id="missing", quantity=1)
    edit(world, goods.id, status="off_shelf")
    with pytest.raises(Conflict) as off:
        services.reserve_stock(uow=uow, goods_id=goods.id, quantity=1)
    assert off.value.code == "invalid_state"
    assert uow.goods.rows[goods.id].stock == 3


def test_released_stock_comes_back_and_sales_never_go_below_zero(world):
    goods = create(world, stock=5)
    uow = world["uow"]
    services.reserve_stock(uow=uow, goods_id=goods.id, quantity=4)
    services.release_stock(uow=uow, goods_id=goods.id, quantity=3)
    services.add_sales(uow=uow, goods_id=goods.id, quantity=2)
    services.remove_sales(uow=uow, goods_id=goods.id, quantity=5)
    assert (uow.goods.rows[goods.id].stock, uow.goods.rows[goods.id].sales) == (4, 0)
    services.add_sales(uow=uow, goods_id=goods.id, quantity=3)
    services.remove_sales(uow=uow, goods_id=goods.id, quantity=1)
    assert uow.goods.rows[goods.id].sales == 2
    with pytest.raises(NotFound):
        services.release_stock(uow=uow, goods_id="missing", quantity=1)


def test_an_edit_never_overwrites_sales(world):
    goods = create(world)
    services.add_sales(uow=world["uow"], goods_id=goods.id, quantity=4)
    assert edit(world, goods.id, name="梨").sales == 4
    assert world["uow"].goods.rows[goods.id].sales == 4
