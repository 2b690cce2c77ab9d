"""GET /cart, POST /cart/lines, PATCH and DELETE /cart/lines/{id}."""

import pytest

from contexts.goods.models import Goods
from contexts.ordering.models import CartLine
from tests.api.test_orders_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def add(world, goods_id: str, quantity: int = 1, who: str = "customer"):
    return world[who].post("/api/v1/cart/lines", {"goods_id": goods_id, "quantity": quantity}, format="json")


def test_an_empty_cart_and_a_missing_store_id(world):
    empty = world["customer"].get("/api/v1/cart", {"store_id": world["store_id"]})
    missing = world["customer"].get("/api/v1/cart")
    assert (empty.status_code, empty.json()) == (
        200,
        {"store_id": world["store_id"], "lines": [], "total_fen": 0},
    )
    assert (missing.status_code, missing.json()["code"], list(missing.json()["fields"])) == (
        400,
        "invalid",
        ["store_id"],
    )


def test_adding_goods_prices_the_line_by_the_snapshot_taken_now_and_adds_up(world):
    # when
    first = add(world, world["eggs"], 2)
    Goods.objects.filter(pk=world["eggs"]).update(price_fen=9999, name="涨价鸡蛋")
    again = add(world, world["eggs"], 1)
    add(world, world["milk"], 1)
    # then
    assert first.status_code == 201
    line = first.json()
    assert line == {
        "id": line["id"],
        "goods_id": world["eggs"],
        "solitaire_item_id": None,
        "name": "土鸡蛋",
        "image_url": "https://img/egg.png",
        "price_fen": 1280,
        "quantity": 2,
        "subtotal_fen": 2560,
    }
    assert (again.status_code, again.json()["id"], again.json()["quantity"]) == (201, line["id"], 3)
    cart = world["customer"].get("/api/v1/cart", {"store_id": world["store_id"]}).json()
    assert [(x["name"], x["quantity"], x["subtotal_fen"]) for x in cart["lines"]] == [
        ("土鸡蛋", 3, 3840),
        ("牛奶", 1, 650),
    ]
    assert cart["total_fen"] == 4490
    assert world["stranger"].get("/api/v1/cart", {"store_id": world["store_id"]}).json()["lines"] == []


def test_the_owner_of_the_cart_changes_and_removes_a_line(world):
    line = add(world, world["eggs"]).json()
    changed = world["customer"].patch(f"/api/v1/cart/lines/{line['id']}", {"quantity": 4}, format="json")
    assert (changed.status_code, changed.json()["quantity"], changed.json()["subtotal_fen"]) == (200, 4, 5120)
    removed = world["customer"].delete(f"/api/v1/cart/lines/{line['id']}")
    assert removed.status_code == 204
    assert CartLine.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("stranger", 404, "not_found"), ("owner", 404, "not_found"), ("anonymous", 401, "not_authenticated")],
)
def test_nobody_else_touches_a_cart_line(world, who, status, code):
    line = add(world, world["eggs"], 2).json()
    patched = world[who].patch(f"/api/v1/cart/lines/{line['id']}", {"quantity": 9}, format="json")
    deleted = world[who].delete(f"/api/v1/cart/lines/{line['id']}")
    assert (patched.status_code, patched.json()["code"]) == (status, code)
    assert (deleted.status_code, deleted.json()["code"]) == (status, code)
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [2]


@pytest.mark.parametrize(
    "body",
    [
        {"goods_id": "G", "quantity": 0},
        {"goods_id": "G", "quantity": "1"},
        {"quantity": 1},
        {"goods_id": "G", "solitaire_item_id": "x", "quantity": 1},
        {"goods_id": "G"},
    ],
)
def test_a_bad_line_is_400_and_changes_nothing(world, body):
    body = {k: world["eggs"] if v == "G" else v for k, v in body.items()}
    response = world["customer"].post("/api/v1/cart/lines", body, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert CartLine.objects.count() == 0


def test_unknown_goods_are_404_and_a_bad_quantity_change_400(world):
    unknown = add(world, "no-such-goods")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    line = add(world, world["eggs"]).json()
    bad = world["customer"].patch(f"/api/v1/cart/lines/{line['id']}", {"quantity": 0}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [1]
