"""POST /orders outside a solitaire: the order, its stock, its idempotency key, its bad inputs."""

from datetime import datetime, timedelta

import pytest

from contexts.goods.models import Goods
from contexts.ordering.models import Order
from tests.api.test_orders_world import CONTACT, build_world, order_body, place, placed
from tests.support.api import ADDRESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def stock(goods_id: str) -> int:
    return Goods.objects.get(pk=goods_id).stock


def test_a_customer_places_an_order_and_gets_it_back_exactly(world, settings):
    # given
    settings.ORDER_PAYMENT_TIMEOUT_SECONDS = 600
    body = order_body(world, (world["eggs"], 2), (world["milk"], 1), remark="请放门口")
    # when
    response = place(world, body=body)
    # then
    assert response.status_code == 201
    order = response.json()
    row = Order.objects.get(pk=order["id"])
    assert order == {
        "id": row.pk,
        "order_no": row.order_no,
        "store_id": world["store_id"],
        "solitaire_id": None,
        "resale_id": None,
        "customer_id": world["customer_id"],
        "status": "pending_payment",
        "lines": [
            {
                "goods_id": world["eggs"],
                "solitaire_item_id": None,
                "name": "土鸡蛋",
                "image_url": "https://img/egg.png",
                "price_fen": 1280,
                "quantity": 2,
                "subtotal_fen": 2560,
            },
            {
                "goods_id": world["milk"],
                "solitaire_item_id": None,
                "name": "牛奶",
                "image_url": "https://img/egg.png",
                "price_fen": 650,
                "quantity": 1,
                "subtotal_fen": 650,
            },
        ],
        "total_fen": 3210,
        "pickup": {"method": "pickup", "pickup_point_id": world["point_id"], "address": None},
        "contact": CONTACT,
        "remark": "请放门口",
        "sequence_no": None,
        "pickup_code": None,
        "created_at": order["created_at"],
        "expires_at": order["expires_at"],
        "paid_at": None,
        "completed_at": None,
        "cancelled_at": None,
        "refunded_at": None,
        "refund_reason": "",
    }
    created = datetime.fromisoformat(order["created_at"])
    assert datetime.fromisoformat(order["expires_at"]) - created == timedelta(seconds=600)
    assert order["created_at"].endswith("+08:00")
    assert (stock(world["eggs"]), stock(world["milk"])) == (8, 2)


def test_a_delivery_order_keeps_its_address(world):
    address = {
        "province": "广东省",
        "city": "深圳市",
        "district": "福田区",
        "detail": "2 号",
        "latitude": 22.5,
    }
    body = order_body(world, pickup={"method": "delivery", "address": address})
    order = placed(world, body=body)
    assert order["pickup"] == {
        "method": "delivery",
        "pickup_point_id": None,
        "address": {**address, "longitude": None},
    }


def test_the_same_idempotency_key_returns_the_same_order_and_reserves_nothing_more(world):
    first = place(world, HTTP_IDEMPOTENCY_KEY="key-1")
    second = place(world, HTTP_IDEMPOTENCY_KEY="key-1")
    third = place(world, HTTP_IDEMPOTENCY_KEY="key-2")
    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 201)
    assert second.json() == first.json()
    assert third.json()["id"] != first.json()["id"]
    assert (Order.objects.count(), stock(world["eggs"])) == (2, 6)


def test_more_than_the_stock_is_out_of_stock_and_changes_nothing(world):
    response = place(world, body=order_body(world, (world["eggs"], 1), (world["milk"], 4)))
    assert (response.status_code, response.json()["code"]) == (409, "out_of_stock")
    assert (Order.objects.count(), stock(world["eggs"]), stock(world["milk"])) == (0, 10, 3)


def test_goods_of_another_store_are_refused(world):
    foreign = (
        world["other_staff"]
        .post(
            f"/api/v1/stores/{world['other_store_id']}/goods",
            {"name": "苹果", "price_fen": 500, "stock": 5},
            format="json",
        )
        .json()["id"]
    )
    response = place(world, body=order_body(world, (foreign, 1)))
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Order.objects.count() == 0


def test_an_anonymous_caller_places_nothing(world):
    response = place(world, "anonymous")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert Order.objects.count() == 0


BAD = [
    ("no lines", {"lines": []}, "invalid", "lines"),
    ("zero", {"lines": [{"goods_id": "G", "quantity": 0}]}, "invalid", "lines"),
    ("a string", {"lines": [{"goods_id": "G", "quantity": "1"}]}, "invalid", "lines"),
    ("a float", {"lines": [{"goods_id": "G", "quantity": 1.5}]}, "invalid", "lines"),
    ("a boolean", {"lines": [{"goods_id": "G", "quantity": True}]}, "invalid", "lines"),
    ("both ids", {"lines": [{"goods_id": "G", "solitaire_item_id": "x", "quantity": 1}]}, "invalid", "lines"),
    ("no store", {"store_id": None}, "invalid", "store_id"),
    ("resale without solitaire", {"resale_id": "r-1"}, "invalid", "resale_id"),
    ("bad phone", {"contact": {"name": "张三", "phone": "12345"}}, "invalid_phone", None),
    ("no name", {"contact": {"name": "", "phone": "13800000000"}}, "invalid", "contact"),
    ("no point", {"pickup": {"method": "pickup"}}, "invalid", "pickup"),
    ("no address", {"pickup": {"method": "delivery"}}, "invalid", "pickup"),
    ("bad method", {"pickup": {"method": "drone", "pickup_point_id": "p"}}, "invalid", "pickup"),
    ("unknown point", {"pickup": {"method": "pickup", "pickup_point_id": "nope"}}, "invalid", "pickup"),
    ("long remark", {"remark": "x" * 201}, "invalid", "remark"),
    ("NUL in the remark", {"remark": "a\x00b"}, "invalid", "remark"),
    ("NUL in a name", {"contact": {"name": "张\x00三", "phone": "13800000000"}}, "invalid", "contact"),
    ("a number as a name", {"contact": {"name": 5, "phone": "13800000000"}}, "invalid", "contact"),
    ("a list as pickup", {"pickup": ["pickup"]}, "invalid", "pickup"),
    ("a number as a store", {"store_id": 7}, "invalid", "store_id"),
    ("a blank line id", {"lines": [{"goods_id": "  ", "quantity": 1}]}, "invalid", "lines"),
    (
        "too many lines",
        {"lines": [{"goods_id": f"g{i}", "quantity": 1} for i in range(51)]},
        "invalid",
        "lines",
    ),
    (
        "a latitude as text",
        {"pickup": {"method": "delivery", "address": {**ADDRESS, "latitude": "30.2"}}},
        "invalid",
        "pickup",
    ),
    (
        "a latitude off the globe",
        {"pickup": {"method": "delivery", "address": {**ADDRESS, "latitude": 91}}},
        "invalid",
        "pickup",
    ),
]


@pytest.mark.parametrize(("case", "change", "code", "field"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_input_is_400_and_changes_nothing(world, case, change, code, field):
    # given
    body = order_body(world)
    for line in change.get("lines", []):
        if line.get("goods_id") == "G":
            line["goods_id"] = world["eggs"]
    body.update(change)
    # when
    response = place(world, body=body)
    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    if field:
        assert field in {name.split(".")[0].split("[")[0] for name in response.json()["fields"]}
    assert (Order.objects.count(), stock(world["eggs"])) == (0, 10)


def test_lines_of_the_same_goods_are_merged_as_a_join_merges_its_items(world):
    # when the same goods come in two lines
    body = order_body(world, (world["eggs"], 1), (world["milk"], 1), (world["eggs"], 2))
    order = placed(world, body=body)
    # then one line holds both quantities, and the stock moved by their sum
    assert [(line["goods_id"], line["quantity"]) for line in order["lines"]] == [
        (world["eggs"], 3),
        (world["milk"], 1),
    ]
    assert (order["total_fen"], stock(world["eggs"])) == (3 * 1280 + 650, 7)


def test_a_bad_input_names_each_wrong_field_with_its_dotted_path(world):
    # given a body wrong in two nested places
    body = order_body(world, (world["eggs"], 0))
    body["pickup"] = {"method": "delivery", "address": {**ADDRESS, "city": ""}}
    # when
    response = place(world, body=body)
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert sorted(response.json()["fields"]) == ["lines[0].quantity", "pickup.address.city"]
    assert (Order.objects.count(), stock(world["eggs"])) == (0, 10)


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('["not", "an", "object"]', "non_field_errors"),
        ('"text"', "non_field_errors"),
        ('{"remark": "\\ud800", "lines": []}', "remark"),  # a lone surrogate PostgreSQL cannot store
    ],
)
def test_a_body_that_is_not_an_order_is_400_and_changes_nothing(world, raw, field):
    # when
    response = world["customer"].post("/api/v1/orders", raw, content_type="application/json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert field in response.json()["fields"]
    assert (Order.objects.count(), stock(world["eggs"])) == (0, 10)


def test_a_too_long_idempotency_key_is_refused(world):
    response = place(world, HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Order.objects.count() == 0
