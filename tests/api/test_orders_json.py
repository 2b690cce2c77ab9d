"""POST /orders renders its order without DRF's serializer; it must stay byte-for-byte the
Order of API.md that OrderOutput (the documented schema) produces."""

import pytest

from bff.orders import OrderOutput, order_json
from contexts.ordering import queries as ordering_queries
from tests.api.test_orders_world import build_world, order_body, paid, placed


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def _views(world, order_ids):
    return [ordering_queries.order_for_viewer(order_id=i, viewer_id=world["customer_id"]) for i in order_ids]


def test_the_fast_rendering_equals_the_documented_serializer(world):
    # given a pending pickup order, a paid one, a delivery order and a cancelled one
    pending = placed(world)
    settled = paid(world, body=order_body(world, (world["eggs"], 1), (world["milk"], 2), remark="放门口"))
    address = {
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "detail": "2 号",
        "latitude": 30.2,
    }
    delivery = placed(world, body=order_body(world, pickup={"method": "delivery", "address": address}))
    cancelled = placed(world)
    world["customer"].post(f"/api/v1/orders/{cancelled['id']}/cancel")
    # when both render the same views
    views = _views(world, [pending["id"], settled["id"], delivery["id"], cancelled["id"]])
    # then
    for view in views:
        assert order_json(view) == OrderOutput(view).data
    assert [v.status for v in views] == ["pending_payment", "paid", "pending_payment", "cancelled"]


def test_post_orders_answers_what_get_order_answers(world):
    created = placed(world)
    fetched = world["customer"].get(f"/api/v1/orders/{created['id']}").json()
    assert created == fetched
