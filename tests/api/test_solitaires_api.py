"""POST /stores/{id}/solitaires, PATCH /solitaires/{id}, publish and close: who may, and what
every bad input answers (nothing changes)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.solitaire.models import Solitaire, SolitaireItem
from contexts.store import bootstrap as store_bootstrap
from tests.api.test_solitaires_support import (
    WHO,
    build_world,
    create_solitaire,
    detail,
    join,
    publish,
    published_solitaire,
    solitaire_body,
)


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def state() -> list:
    return list(
        SolitaireItem.objects.order_by("id").values_list("solitaire__title", "price_fen", "stock", "sold")
    )


def test_the_owner_creates_a_draft_with_goods_snapshots(world):
    # when
    created = create_solitaire(world)
    # then
    assert set(created) == {
        "id",
        "store",
        "title",
        "description",
        "status",
        "start_at",
        "end_at",
        "is_open",
        "pickup_points",
        "items",
        "participant_count",
        "created_at",
    }
    door = world["owner"].get(f"/api/v1/stores/{world.store['id']}").json()["door_image_url"]
    assert created["store"] == {"id": world.store["id"], "name": "幸福小店", "door_image_url": door}
    assert (created["title"], created["description"], created["status"], created["is_open"]) == (
        "周五水果接龙",
        "新鲜到货",
        "draft",
        False,
    )
    assert created["pickup_points"] == [world.points[0]]
    apples, pears = world.goods
    assert [{k: v for k, v in item.items() if k != "id"} for item in created["items"]] == [
        {
            "goods_id": apples["id"],
            "name": "苹果",
            "image_url": "https://img.example/苹果.png",
            "price_fen": 990,
            "stock": 10,
            "sold": 0,
            "remaining": 10,
            "per_customer_limit": 2,
        },
        {
            "goods_id": pears["id"],
            "name": "香梨",
            "image_url": "https://img.example/香梨.png",
            "price_fen": 800,
            "stock": 5,
            "sold": 0,
            "remaining": 5,
            "per_customer_limit": None,
        },
    ]
    assert created["participant_count"] == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 201),
        ("manager", 201),
        ("clerk", 403),
        ("other_staff", 403),
        ("customer", 403),
        ("anonymous", 401),
    ],
)
def test_only_owner_and_manager_create_solitaires(world, who, expected):
    # when
    response = world[who].post(
        f"/api/v1/stores/{world.store['id']}/solitaires", solitaire_body(world), format="json"
    )
    # then
    assert response.status_code == expected, response.content
    assert Solitaire.objects.count() == (1 if expected == 201 else 0)
    if expected != 201:
        assert response.json()["code"] == {401: "not_authenticated", 403: "permission_denied"}[expected]


def _bad_bodies(world):
    now = timezone.now()
    apples = world.goods[0]["id"]
    return {
        "end_before_start": ({"end_at": (now - timedelta(hours=2)).isoformat()}, "end_at"),
        "end_equals_start": ({"start_at": now.isoformat(), "end_at": now.isoformat()}, "end_at"),
        "no_items": ({"items": []}, "items"),
        "negative_stock": ({"items": [{"goods_id": apples, "stock": -1}]}, "items[0].stock"),
        "zero_price": ({"items": [{"goods_id": apples, "stock": 1, "price_fen": 0}]}, "items[0].price_fen"),
        "float_price": (
            {"items": [{"goods_id": apples, "stock": 1, "price_fen": 9.5}]},
            "items[0].price_fen",
        ),
        "zero_limit": (
            {"items": [{"goods_id": apples, "stock": 1, "per_customer_limit": 0}]},
            "items[0].per_customer_limit",
        ),
        "unknown_goods": ({"items": [{"goods_id": "no-such-goods", "stock": 1}]}, "items"),
        "goods_of_another_store": ({"items": [{"goods_id": world.other_goods["id"], "stock": 1}]}, "items"),
        "same_goods_twice": (
            {"items": [{"goods_id": apples, "stock": 1}, {"goods_id": apples, "stock": 2}]},
            "items",
        ),
        "no_pickup_point": ({"pickup_point_ids": []}, "pickup_point_ids"),
        "pickup_point_of_another_store": (
            {"pickup_point_ids": [world.other_point["id"]]},
            "pickup_point_ids",
        ),
        "no_title": ({"title": ""}, "title"),
        "bad_time": ({"start_at": "tomorrow"}, "start_at"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "end_before_start",
        "end_equals_start",
        "no_items",
        "negative_stock",
        "zero_price",
        "float_price",
        "zero_limit",
        "unknown_goods",
        "goods_of_another_store",
        "same_goods_twice",
        "no_pickup_point",
        "pickup_point_of_another_store",
        "no_title",
        "bad_time",
    ],
)
def test_bad_input_is_400_invalid_with_its_field_and_creates_nothing(world, case):
    # given
    overrides, field = _bad_bodies(world)[case]
    # when
    response = world["owner"].post(
        f"/api/v1/stores/{world.store['id']}/solitaires", solitaire_body(world, **overrides), format="json"
    )
    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert Solitaire.objects.count() == 0 and SolitaireItem.objects.count() == 0


def test_an_unknown_store_is_404(world):
    response = world["owner"].post("/api/v1/stores/nope/solitaires", solitaire_body(world), format="json")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_owner_edits_title_items_and_points(world):
    # given
    created = create_solitaire(world)
    apples, pears = created["items"]
    # when: apples matched by id get more stock, pears matched by goods_id get a group price,
    # and the solitaire moves to the second pickup point
    response = world["manager"].patch(
        f"/api/v1/solitaires/{created['id']}",
        {
            "title": "周六水果接龙",
            "pickup_point_ids": [world.points[1]["id"]],
            "items": [{"id": apples["id"], "stock": 30}, {"goods_id": pears["goods_id"], "price_fen": 700}],
        },
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "周六水果接龙"
    assert [p["id"] for p in body["pickup_points"]] == [world.points[1]["id"]]
    assert [(i["id"], i["price_fen"], i["stock"], i["per_customer_limit"]) for i in body["items"]] == [
        (apples["id"], 990, 30, 2),
        (pears["id"], 700, 5, None),
    ]
    # and removing an item without sales is allowed
    again = world["owner"].patch(
        f"/api/v1/solitaires/{created['id']}", {"items": [{"id": apples["id"]}]}, format="json"
    )
    assert [i["id"] for i in again.json()["items"]] == [apples["id"]]


@pytest.mark.parametrize("who", WHO)
def test_only_owner_and_manager_edit(world, who):
    created = create_solitaire(world)
    response = world[who].patch(f"/api/v1/solitaires/{created['id']}", {"title": "改名"}, format="json")
    expected = {"owner": 200, "manager": 200, "anonymous": 401}.get(who, 403)
    assert response.status_code == expected
    assert Solitaire.objects.get().title == ("改名" if expected == 200 else "周五水果接龙")


def test_an_item_with_sales_keeps_its_price_and_stock_stays_above_sold(world):
    # given a published solitaire where the customer reserved 2 apples
    solitaire = published_solitaire(world)
    assert join(world["customer"], solitaire, [(0, 2)]).status_code == 201
    apples = solitaire["items"][0]
    url = f"/api/v1/solitaires/{solitaire['id']}"
    before = state()
    # when / then: a new price is item_has_sales
    response = world["owner"].patch(url, {"items": [{"id": apples["id"], "price_fen": 1}]}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "item_has_sales")
    # removing it too
    response = world["owner"].patch(url, {"items": [{"id": solitaire["items"][1]["id"]}]}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "item_has_sales")
    # stock below the 2 sold is invalid
    response = world["owner"].patch(url, {"items": [{"id": apples["id"], "stock": 1}]}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert state() == before
    # stock may be raised, and lowered to exactly what is sold
    response = world["owner"].patch(url, {"items": [{"id": apples["id"], "stock": 2}]}, format="json")
    assert response.status_code == 200
    assert [(i["stock"], i["sold"], i["remaining"]) for i in response.json()["items"]] == [(2, 2, 0)]


def test_publish_and_close_follow_the_life_cycle(world):
    created = create_solitaire(world)
    url = f"/api/v1/solitaires/{created['id']}"
    # a draft cannot be closed
    assert world["owner"].post(f"{url}/close").json()["code"] == "invalid_state"
    # publish
    published = world["manager"].post(f"{url}/publish")
    assert (published.status_code, published.json()["status"], published.json()["is_open"]) == (
        200,
        "published",
        True,
    )
    again = world["owner"].post(f"{url}/publish")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_state")
    # close
    closed = world["owner"].post(f"{url}/close")
    assert (closed.status_code, closed.json()["status"], closed.json()["is_open"]) == (200, "closed", False)
    # a closed solitaire cannot be edited, published or closed again
    for response in (
        world["owner"].patch(url, {"title": "x"}, format="json"),
        world["owner"].post(f"{url}/publish"),
        world["owner"].post(f"{url}/close"),
    ):
        assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Solitaire.objects.get().title == "周五水果接龙"


@pytest.mark.parametrize("who", WHO)
def test_only_owner_and_manager_publish(world, who):
    created = create_solitaire(world)
    response = world[who].post(f"/api/v1/solitaires/{created['id']}/publish")
    expected = {"owner": 200, "manager": 200, "anonymous": 401}.get(who, 403)
    assert response.status_code == expected
    assert Solitaire.objects.get().status == ("published" if expected == 200 else "draft")


def test_a_frozen_store_cannot_publish(world):
    created = create_solitaire(world)
    store_bootstrap.freeze_store(store_id=world.store["id"])
    response = world["owner"].post(f"/api/v1/solitaires/{created['id']}/publish")
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Solitaire.objects.get().status == "draft"


def test_editing_the_goods_later_never_changes_the_solitaire_item(world):
    # given
    solitaire = publish(world, create_solitaire(world))
    pears = world.goods[1]
    # when the goods are renamed and repriced
    edited = world["owner"].patch(
        f"/api/v1/goods/{pears['id']}", {"name": "雪梨", "price_fen": 1}, format="json"
    )
    assert edited.status_code == 200, edited.content
    # then the item keeps its snapshot
    item = detail(world["customer"], solitaire)["items"][1]
    assert (item["name"], item["price_fen"], item["image_url"]) == (
        "香梨",
        800,
        "https://img.example/香梨.png",
    )
