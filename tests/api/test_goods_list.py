"""GET /stores/{id}/goods: search, category, status, ordering, who sees what, query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.goods.models import Category, Goods
from tests.api.test_goods_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


@pytest.fixture
def shelf(world) -> dict:
    """Four goods created one after another: eggs, milk, rice (off shelf), apples."""
    store_id = world["store_id"]
    fruit = Category.objects.get(store_id=store_id, sort=1).pk
    made = {}
    for name, price, description, category in (
        ("鸡蛋", 1280, "农家散养", None),
        ("牛奶", 650, "每日鲜奶", None),
        ("大米", 5990, "东北新米", None),
        ("苹果", 990, "烟台红富士 鸡蛋大小", fruit),
    ):
        body = {
            "name": name,
            "price_fen": price,
            "stock": 10,
            "description": description,
            "category_id": category,
        }
        response = world["owner"].post(f"/api/v1/stores/{store_id}/goods", body, format="json")
        assert response.status_code == 201, response.content
        made[name] = response.json()
    world["owner"].delete(f"/api/v1/goods/{made['大米']['id']}")
    Goods.objects.filter(pk=made["牛奶"]["id"]).update(sales=30)
    Goods.objects.filter(pk=made["苹果"]["id"]).update(sales=5)
    return {"fruit": fruit, **made}


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [g["name"] for g in response.json()["results"]]


def listing(world, who: str, **params):
    return world[who].get(f"/api/v1/stores/{world['store_id']}/goods", params)


def test_customers_see_on_sale_goods_newest_first_in_a_page(world, shelf):
    # when
    response = listing(world, "customer")
    # then
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert names(response) == ["苹果", "牛奶", "鸡蛋"]
    assert body["results"][0] == world["customer"].get(f"/api/v1/goods/{shelf['苹果']['id']}").json()


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_staff_see_off_shelf_goods_too(world, shelf, who):
    assert names(listing(world, who)) == ["苹果", "大米", "牛奶", "鸡蛋"]
    assert names(listing(world, who, status="off_shelf")) == ["大米"]


@pytest.mark.parametrize("who", ["customer", "other_staff"])
def test_a_non_staff_asking_for_off_shelf_goods_gets_nothing(world, shelf, who):
    response = listing(world, who, status="off_shelf")
    assert (names(response), response.json()["count"]) == ([], 0)


def test_anonymous_cannot_list(world, shelf):
    response = listing(world, "anonymous")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_search_looks_in_name_and_description(world, shelf):
    assert names(listing(world, "customer", search="鸡蛋")) == ["苹果", "鸡蛋"]
    assert names(listing(world, "customer", search="鲜奶")) == ["牛奶"]
    assert names(listing(world, "owner", search="新米")) == ["大米"]
    assert names(listing(world, "customer", search="新米")) == []


def test_the_category_filter(world, shelf):
    assert names(listing(world, "customer", category=shelf["fruit"])) == ["苹果"]
    assert names(listing(world, "customer", category="no-such-category")) == []


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("price_fen", ["牛奶", "苹果", "鸡蛋"]),
        ("-price_fen", ["鸡蛋", "苹果", "牛奶"]),
        ("-sales", ["牛奶", "苹果", "鸡蛋"]),
        ("-created_at", ["苹果", "牛奶", "鸡蛋"]),
    ],
)
def test_the_orderings(world, shelf, ordering, expected):
    assert names(listing(world, "customer", ordering=ordering)) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ordering": "name"}, "ordering"), ({"ordering": "sales"}, "ordering"), ({"status": "sold"}, "status")],
)
def test_bad_filters_are_400_with_the_field(world, shelf, params, field):
    response = listing(world, "customer", **params)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(response.json()["fields"]) == [field]


def test_pages(world, shelf):
    # when
    first = listing(world, "customer", page_size=2).json()
    second = listing(world, "customer", page_size=2, page=2).json()
    beyond = listing(world, "customer", page_size=2, page=3)
    # then
    assert [g["name"] for g in first["results"]] == ["苹果", "牛奶"]
    assert first["next"].endswith("page=2&page_size=2")
    assert [g["name"] for g in second["results"]] == ["鸡蛋"]
    assert (second["next"], beyond.status_code) == (None, 404)


def test_an_unknown_store_is_404(world):
    response = world["customer"].get("/api/v1/stores/no-such-store/goods")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_query_count_does_not_grow_with_the_page_size(world):
    # given 30 goods
    store_id = world["store_id"]
    for index in range(30):
        body = {
            "name": f"商品{index}",
            "price_fen": 100 + index,
            "stock": 1,
            "image_urls": ["https://img/x.png"],
        }
        assert world["owner"].post(f"/api/v1/stores/{store_id}/goods", body, format="json").status_code == 201
    # when
    with CaptureQueriesContext(connection) as small:
        assert len(listing(world, "owner", page_size=2).json()["results"]) == 2
    with CaptureQueriesContext(connection) as large:
        assert (
            len(listing(world, "owner", page_size=30, search="商品", ordering="-price_fen").json()["results"])
            == 30
        )
    # then
    assert len(small) == len(large)
    assert len(large) <= 6  # token, store, role, count, page (+ the token's touch at most)
