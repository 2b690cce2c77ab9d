"""Goods rules in plain Python: validation, edits, the shelf, the season's defaults."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from contexts.goods.domain.defaults import default_categories, default_hot_words, season_of
from contexts.goods.domain.model import Category, Goods, check_category_belongs
from contexts.shared.domain.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=SHANGHAI)
LATER = datetime(2025, 7, 2, 10, 0, tzinfo=SHANGHAI)


def make_goods(**overrides) -> Goods:
    fields = {"store_id": "s1", "name": "鸡蛋", "price_fen": 1200, "stock": 10, "now": NOW} | overrides
    return Goods.create(**fields)


def test_new_goods_are_on_sale_with_no_sales_and_their_creation_time():
    # when
    goods = make_goods(description="土鸡蛋", image_urls=["https://img/1.png", "https://img/2.png"])
    # then
    assert (goods.store_id, goods.name, goods.description) == ("s1", "鸡蛋", "土鸡蛋")
    assert (goods.price_fen, goods.stock, goods.sales, goods.status) == (1200, 10, 0, "on_sale")
    assert goods.image_urls == ["https://img/1.png", "https://img/2.png"]
    assert goods.first_image == "https://img/1.png"
    assert goods.created_at == goods.updated_at == NOW
    assert len(goods.id) == 36


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_fen": 0}, "price_fen"),
        ({"price_fen": -1}, "price_fen"),
        ({"price_fen": 1.5}, "price_fen"),
        ({"price_fen": "150"}, "price_fen"),
        ({"price_fen": True}, "price_fen"),
        ({"price_fen": 100_000_001}, "price_fen"),
        ({"stock": -1}, "stock"),
        ({"stock": 2.0}, "stock"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"image_urls": "https://img/1.png"}, "image_urls"),
        ({"image_urls": [1]}, "image_urls"),
        ({"description": 5}, "description"),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(overrides, field):
    # when / then
    with pytest.raises(InvalidInput) as refused:
        make_goods(**overrides)
    assert refused.value.code == "invalid"
    assert list(refused.value.fields) == [field]


def test_every_wrong_field_is_reported_at_once():
    # when
    with pytest.raises(InvalidInput) as refused:
        make_goods(name="", price_fen=0, stock=-3)
    # then
    assert sorted(refused.value.fields) == ["name", "price_fen", "stock"]


def test_a_name_of_exactly_100_characters_is_accepted():
    assert make_goods(name="好" * 100).name == "好" * 100


def test_an_edit_changes_only_the_given_fields_and_the_update_time():
    # given
    goods = make_goods()
    # when
    goods.edit(changes={"name": "草鸡蛋", "price_fen": 1500}, now=LATER)
    # then
    assert (goods.name, goods.price_fen, goods.stock, goods.updated_at, goods.created_at) == (
        "草鸡蛋",
        1500,
        10,
        LATER,
        NOW,
    )


def test_a_bad_edit_changes_nothing():
    # given
    goods = make_goods()
    # when
    with pytest.raises(InvalidInput) as refused:
        goods.edit(changes={"name": "新名字", "stock": -1}, now=LATER)
    # then
    assert refused.value.fields == {"stock": ["Ensure this value is greater than or equal to 0."]}
    assert (goods.name, goods.stock, goods.updated_at) == ("鸡蛋", 10, NOW)


def test_an_edit_of_an_unknown_field_or_status_is_refused():
    goods = make_goods()
    with pytest.raises(InvalidInput) as unknown:
        goods.edit(changes={"sales": 99}, now=LATER)
    with pytest.raises(InvalidInput) as bad_status:
        goods.edit(changes={"status": "sold"}, now=LATER)
    assert list(unknown.value.fields) == ["sales"]
    assert list(bad_status.value.fields) == ["status"]
    assert (goods.sales, goods.status) == (0, "on_sale")


def test_taking_goods_off_the_shelf_twice_changes_them_once():
    # given
    goods = make_goods()
    # when
    first = goods.take_off_shelf(now=LATER)
    second = goods.take_off_shelf(now=datetime(2026, 1, 1, tzinfo=SHANGHAI))
    # then
    assert (first, second, goods.status, goods.updated_at) == (True, False, "off_shelf", LATER)


def test_a_category_of_another_store_is_refused():
    # given
    theirs = Category(id="c9", store_id="s2", name="水果", sort=1)
    # when / then
    with pytest.raises(InvalidInput) as refused:
        check_category_belongs(theirs, "s1")
    assert list(refused.value.fields) == ["category_id"]
    assert check_category_belongs(Category(id="c1", store_id="s1", name="水果", sort=1), "s1").id == "c1"


@pytest.mark.parametrize(
    ("moment", "season"),
    [
        (datetime(2025, 3, 1, 0, 0, tzinfo=SHANGHAI), "spring"),
        (datetime(2025, 5, 31, 23, 59, tzinfo=SHANGHAI), "spring"),
        (datetime(2025, 6, 1, 0, 0, tzinfo=SHANGHAI), "summer"),
        (datetime(2025, 7, 15, tzinfo=SHANGHAI), "summer"),
        (datetime(2025, 10, 1, tzinfo=SHANGHAI), "autumn"),
        (datetime(2025, 12, 1, tzinfo=SHANGHAI), "winter"),
        (datetime(2026, 1, 20, tzinfo=SHANGHAI), "winter"),
        (datetime(2026, 2, 28, tzinfo=SHANGHAI), "winter"),
        # 31 May 16:30 UTC is already 1 June in Shanghai
        (datetime(2025, 5, 31, 16, 30, tzinfo=UTC), "summer"),
        # 30 Nov 15:59 UTC is still 30 Nov in Shanghai
        (datetime(2025, 11, 30, 15, 59, tzinfo=UTC), "autumn"),
    ],
)
def test_the_season_follows_the_shanghai_calendar(moment, season):
    assert season_of(moment) == season


def test_default_categories_are_five_per_season_sorted_one_to_five():
    assert default_categories(datetime(2025, 4, 1, tzinfo=SHANGHAI)) == [
        ("时令蔬菜", 1),
        ("春笋野菜", 2),
        ("草莓水果", 3),
        ("粮油调味", 4),
        ("日用百货", 5),
    ]
    assert default_categories(datetime(2025, 7, 1, tzinfo=SHANGHAI)) == [
        ("西瓜鲜果", 1),
        ("冷饮冰品", 2),
        ("凉拌蔬菜", 3),
        ("粮油调味", 4),
        ("日用百货", 5),
    ]
    assert [name for name, _ in default_categories(datetime(2025, 9, 1, tzinfo=SHANGHAI))] == [
        "应季水果",
        "螃蟹水产",
        "新米杂粮",
        "时令蔬菜",
        "日用百货",
    ]
    assert [name for name, _ in default_categories(datetime(2026, 1, 1, tzinfo=SHANGHAI))] == [
        "火锅食材",
        "年货礼盒",
        "柑橘水果",
        "时令蔬菜",
        "日用百货",
    ]


def test_default_hot_words():
    assert default_hot_words() == [("鸡蛋", 1), ("水果", 2), ("牛奶", 3), ("大米", 4), ("纸巾", 5)]


def test_season_of_a_naive_time_is_a_programming_error():
    with pytest.raises(ValueError):
        season_of(datetime(2025, 7, 1))
