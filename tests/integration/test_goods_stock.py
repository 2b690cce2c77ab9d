"""Stock and sales on the real database: conditional writes, real threads, constraints."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from contexts.goods import bootstrap, queries
from contexts.goods.adapters.orm import DjangoGoodsUnitOfWork
from contexts.goods.models import Goods
from contexts.shared.domain.errors import Conflict, NotFound
from tests.support.threads import run_at_once


def make_goods(stock: int = 10, status: str = "on_sale", sales: int = 0, **fields) -> str:
    now = timezone.now()
    row = Goods.objects.create(
        id=str(uuid.uuid4()),
        store_id=fields.pop("store_id", "store-1"),
        name=fields.pop("name", "鸡蛋"),
        price_fen=fields.pop("price_fen", 1200),
        image_urls=fields.pop("image_urls", ["https://img/egg.png"]),
        stock=stock,
        sales=sales,
        status=status,
        created_at=now,
        updated_at=now,
        **fields,
    )
    return row.id


def stock_and_sales(goods_id: str) -> tuple[int, int]:
    return tuple(Goods.objects.filter(pk=goods_id).values_list("stock", "sales").get())


@pytest.mark.django_db(transaction=True)
def test_thirty_threads_reserving_one_each_of_ten_units_sell_exactly_ten():
    # given
    goods_id = make_goods(stock=10)
    # when
    outcomes = run_at_once(
        [lambda: bootstrap.reserve_stock(goods_id=goods_id, quantity=1)] * 30, on_success=lambda _: "ok"
    )
    # then
    assert sorted(outcomes) == ["ok"] * 10 + ["out_of_stock"] * 20
    assert stock_and_sales(goods_id) == (0, 0)


@pytest.mark.django_db
def test_reserve_is_one_conditional_update_and_refuses_what_is_not_there(django_assert_num_queries):
    # given
    goods_id = make_goods(stock=3)
    # when one successful reservation: a single UPDATE (plus the savepoint bookkeeping)
    with django_assert_num_queries(3):  # SAVEPOINT, UPDATE, RELEASE SAVEPOINT
        bootstrap.reserve_stock(goods_id=goods_id, quantity=2)
    # then
    with pytest.raises(Conflict) as refused:
        bootstrap.reserve_stock(goods_id=goods_id, quantity=2)
    assert refused.value.code == "out_of_stock"
    assert stock_and_sales(goods_id) == (1, 0)


@pytest.mark.django_db
def test_off_shelf_goods_cannot_be_reserved_and_unknown_goods_are_not_found():
    # given
    goods_id = make_goods(stock=5, status="off_shelf")
    # when / then
    with pytest.raises(Conflict) as refused:
        bootstrap.reserve_stock(goods_id=goods_id, quantity=1)
    assert refused.value.code == "invalid_state"
    with pytest.raises(NotFound):
        bootstrap.reserve_stock(goods_id=str(uuid.uuid4()), quantity=1)
    assert stock_and_sales(goods_id) == (5, 0)


@pytest.mark.django_db
def test_release_add_and_remove_sales_never_let_sales_go_negative():
    # given
    goods_id = make_goods(stock=5, sales=2)
    # when
    bootstrap.reserve_stock(goods_id=goods_id, quantity=4)
    bootstrap.release_stock(goods_id=goods_id, quantity=4)
    bootstrap.add_sales(goods_id=goods_id, quantity=3)
    bootstrap.remove_sales(goods_id=goods_id, quantity=1)
    # then
    assert stock_and_sales(goods_id) == (5, 4)
    # when more sales are removed than there are
    bootstrap.remove_sales(goods_id=goods_id, quantity=10)
    # then
    assert stock_and_sales(goods_id) == (5, 0)
    with pytest.raises(NotFound):
        bootstrap.add_sales(goods_id="missing", quantity=1)


@pytest.mark.django_db
def test_a_failed_reservation_inside_a_callers_transaction_leaves_the_rest_of_it_alone():
    # given two goods; the caller reserves both in one transaction, the second fails
    plenty, scarce = make_goods(stock=5), make_goods(stock=0)
    # when
    with transaction.atomic():
        bootstrap.reserve_stock(goods_id=plenty, quantity=1)
        with pytest.raises(Conflict):
            bootstrap.reserve_stock(goods_id=scarce, quantity=1)
    # then the caller decides: here it kept the first reservation
    assert (stock_and_sales(plenty), stock_and_sales(scarce)) == ((4, 0), (0, 0))


@pytest.mark.django_db
def test_saving_an_edit_does_not_undo_a_reservation_made_after_loading():
    # given a merchant's edit loaded the goods
    goods_id = make_goods(stock=10, sales=1)
    uow = DjangoGoodsUnitOfWork()
    goods = uow.goods.get(goods_id)
    # when a customer reserves meanwhile, then the rename is saved
    bootstrap.reserve_stock(goods_id=goods_id, quantity=3)
    goods.edit(changes={"name": "土鸡蛋"}, now=timezone.now())
    uow.goods.save(goods)
    # then
    row = Goods.objects.get(pk=goods_id)
    assert (row.name, row.stock, row.sales) == ("土鸡蛋", 7, 1)


@pytest.mark.django_db
def test_snapshots_are_frozen_copies_read_in_one_query(django_assert_num_queries):
    # given
    first = make_goods(name="鸡蛋", price_fen=1200, image_urls=["https://img/a.png", "https://img/b.png"])
    second = make_goods(name="牛奶", price_fen=800, image_urls=[])
    other_store = make_goods(store_id="store-2")
    # when
    with django_assert_num_queries(1):
        taken = queries.snapshots([first, second, other_store, "missing"], store_id="store-1")
    single = bootstrap.snapshot_goods(goods_id=first)
    Goods.objects.filter(pk=first).update(name="草鸡蛋", price_fen=1500, image_urls=[])
    # then
    assert sorted(taken) == sorted([first, second])
    assert (taken[first].name, taken[first].price_fen, taken[first].image_url) == (
        "鸡蛋",
        1200,
        "https://img/a.png",
    )
    assert (taken[second].name, taken[second].image_url) == ("牛奶", "")
    assert (single.name, single.price_fen, single.image_url, single.store_id) == (
        "鸡蛋",
        1200,
        "https://img/a.png",
        "store-1",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [{"price_fen": 0}, {"price_fen": -5}, {"stock": -1}, {"sales": -1}],
)
def test_the_database_refuses_negative_money_stock_and_sales(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_goods(**{"stock": 1, **fields})
