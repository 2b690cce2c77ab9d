"""POST /stores/{id}/goods and GET/PATCH/DELETE /goods/{id}."""

from datetime import datetime

import pytest

from contexts.goods.models import Category, Goods
from tests.api.test_goods_world import build_world

pytestmark = pytest.mark.django_db

MATRIX = [
    ("owner", None, None),
    ("manager", None, None),
    ("clerk", 403, "permission_denied"),
    ("other_staff", 403, "permission_denied"),
    ("customer", 403, "permission_denied"),
    ("anonymous", 401, "not_authenticated"),
]
EGGS = {"name": "土鸡蛋", "price_fen": 1280, "stock": 50}


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def category_id(store_id: str, sort: int = 1) -> str:
    return Category.objects.get(store_id=store_id, sort=sort).pk


def create(world, who: str = "owner", **body):
    return world[who].post(f"/api/v1/stores/{world['store_id']}/goods", {**EGGS, **body}, format="json")


@pytest.fixture
def eggs(world) -> dict:
    response = create(world, image_urls=["https://img/egg-1.png", "https://img/egg-2.png"])
    assert response.status_code == 201, response.content
    return response.json()


def row_state(goods_id: str) -> dict:
    return Goods.objects.filter(pk=goods_id).values().get()


def test_an_owner_creates_goods_and_gets_them_back_exactly(world):
    # given
    category = category_id(world["store_id"], 2)
    # when
    response = create(world, description="农家散养", image_urls=["https://img/egg.png"], category_id=category)
    # then
    assert response.status_code == 201
    body = response.json()
    row = Goods.objects.get(pk=body["id"])
    assert body == {
        "id": row.pk,
        "store_id": world["store_id"],
        "name": "土鸡蛋",
        "description": "农家散养",
        "image_urls": ["https://img/egg.png"],
        "price_fen": 1280,
        "category_id": category,
        "status": "on_sale",
        "stock": 50,
        "sales": 0,
        "created_at": body["created_at"],
        "updated_at": body["created_at"],
    }
    assert datetime.fromisoformat(body["created_at"]) == row.created_at
    assert body["created_at"].endswith("+08:00")


def test_optional_fields_default_to_empty(world):
    body = create(world).json()
    assert (body["description"], body["image_urls"], body["category_id"]) == ("", [], None)


@pytest.mark.parametrize(("who", "status", "code"), MATRIX)
def test_only_owner_and_manager_create_goods(world, who, status, code):
    # when
    response = create(world, who)
    # then
    if code is None:
        assert response.status_code == 201
        assert Goods.objects.filter(store_id=world["store_id"]).count() == 1
    else:
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert Goods.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price_fen": 0}, "price_fen"),
        ({"price_fen": -100}, "price_fen"),
        ({"price_fen": 1.5}, "price_fen"),
        ({"price_fen": "1.5"}, "price_fen"),
        ({"price_fen": "1280"}, "price_fen"),
        ({"price_fen": 12.0}, "price_fen"),
        ({"price_fen": True}, "price_fen"),
        ({"price_fen": None}, "price_fen"),
        ({"price_fen": 10**30}, "price_fen"),
        ({"stock": -1}, "stock"),
        ({"stock": 2.5}, "stock"),
        ({"name": ""}, "name"),
        ({"name": "蛋" * 101}, "name"),
        ({"name": 5}, "name"),
        ({"description": 5}, "description"),
        ({"image_urls": [5]}, "image_urls[0]"),
        ({"category_id": 5}, "category_id"),
        ({"image_urls": "https://img/egg.png"}, "image_urls"),
        ({"category_id": "no-such-category"}, "category_id"),
    ],
)
def test_bad_goods_are_400_with_the_field_and_nothing_is_created(world, body, field):
    # when
    response = create(world, **body)
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert Goods.objects.count() == 0


def test_a_category_of_another_store_is_400(world):
    # when
    response = create(world, category_id=category_id(world["other_store_id"]))
    # then
    assert (response.status_code, list(response.json()["fields"])) == (400, ["category_id"])
    assert Goods.objects.count() == 0


def test_goods_in_an_unknown_store_are_404(world):
    response = world["owner"].post("/api/v1/stores/no-such-store/goods", EGGS, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert Goods.objects.count() == 0


@pytest.mark.parametrize("who", ["owner", "clerk", "other_staff", "customer"])
def test_anyone_logged_in_reads_on_sale_goods(world, eggs, who):
    response = world[who].get(f"/api/v1/goods/{eggs['id']}")
    assert (response.status_code, response.json()) == (200, eggs)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("clerk", 200),
        ("other_staff", 404),
        ("customer", 404),
        ("anonymous", 401),
    ],
)
def test_off_shelf_goods_are_visible_only_to_their_stores_staff(world, eggs, who, status):
    # given
    assert world["owner"].delete(f"/api/v1/goods/{eggs['id']}").status_code == 204
    # when
    response = world[who].get(f"/api/v1/goods/{eggs['id']}")
    # then
    assert response.status_code == status
    if status == 200:
        assert response.json()["status"] == "off_shelf"


def test_unknown_goods_are_404(world):
    for method in ("get", "patch", "delete"):
        response = getattr(world["owner"], method)("/api/v1/goods/no-such-goods", {}, format="json")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(("who", "status", "code"), MATRIX)
def test_only_owner_and_manager_edit_goods(world, eggs, who, status, code):
    # given
    before = row_state(eggs["id"])
    new_category = category_id(world["store_id"], 3)
    # when
    response = world[who].patch(
        f"/api/v1/goods/{eggs['id']}",
        {"name": "草鸡蛋", "price_fen": 1500, "stock": 20, "category_id": new_category, "description": "新"},
        format="json",
    )
    # then
    if code is None:
        assert response.status_code == 200
        body = response.json()
        assert (body["name"], body["price_fen"], body["stock"], body["category_id"], body["description"]) == (
            "草鸡蛋",
            1500,
            20,
            new_category,
            "新",
        )
        assert (body["image_urls"], body["created_at"], body["sales"]) == (
            eggs["image_urls"],
            eggs["created_at"],
            0,
        )
        assert body["updated_at"] > eggs["updated_at"]
        assert world["customer"].get(f"/api/v1/goods/{eggs['id']}").json() == body
    else:
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert row_state(eggs["id"]) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price_fen": 0}, "price_fen"),
        ({"price_fen": "1.5"}, "price_fen"),
        ({"price_fen": 9.9}, "price_fen"),
        ({"stock": -5}, "stock"),
        ({"name": ""}, "name"),
        ({"name": 5}, "name"),
        ({"status": "sold_out"}, "status"),
        ({"category_id": "no-such-category"}, "category_id"),
        ({"image_urls": [None]}, "image_urls[0]"),
    ],
)
def test_a_bad_edit_is_400_and_changes_nothing(world, eggs, body, field):
    # given
    before = row_state(eggs["id"])
    # when
    response = world["manager"].patch(f"/api/v1/goods/{eggs['id']}", {"name": "改名", **body}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert row_state(eggs["id"]) == before


def test_an_edit_clears_the_category_and_puts_goods_back_on_the_shelf(world):
    # given
    goods_id = create(world, category_id=category_id(world["store_id"])).json()["id"]
    world["owner"].delete(f"/api/v1/goods/{goods_id}")
    # when
    response = world["owner"].patch(
        f"/api/v1/goods/{goods_id}", {"category_id": None, "status": "on_sale"}, format="json"
    )
    # then
    assert response.status_code == 200
    assert (response.json()["category_id"], response.json()["status"]) == (None, "on_sale")
    assert world["customer"].get(f"/api/v1/goods/{goods_id}").status_code == 200


@pytest.mark.parametrize(("who", "status", "code"), MATRIX)
def test_only_owner_and_manager_take_goods_off_the_shelf(world, eggs, who, status, code):
    # when
    response = world[who].delete(f"/api/v1/goods/{eggs['id']}")
    # then
    if code is None:
        assert (response.status_code, response.content) == (204, b"")
        assert Goods.objects.get(pk=eggs["id"]).status == "off_shelf"
    else:
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert Goods.objects.get(pk=eggs["id"]).status == "on_sale"


def test_taking_goods_off_twice_is_still_204(world, eggs):
    first = world["owner"].delete(f"/api/v1/goods/{eggs['id']}")
    second = world["owner"].delete(f"/api/v1/goods/{eggs['id']}")
    assert (first.status_code, second.status_code) == (204, 204)
    assert Goods.objects.get(pk=eggs["id"]).status == "off_shelf"
