"""Goods follow orders placed outside a solitaire: sales count on OrderPaid, stock back when the
order is cancelled or expires — through the real events, exactly once."""

import pytest

from contexts.ordering import bootstrap as ordering
from tests.api.test_orders_world import build_world, order_body, paid, placed


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def goods(world, name: str) -> dict:
    return world["owner"].get(f"/api/v1/goods/{world[name]}").json()


def test_a_paid_goods_order_counts_as_sales_and_keeps_its_stock_taken(world):
    # when
    paid(world, body=order_body(world, (world["eggs"], 3), (world["milk"], 1)))
    # then
    assert (goods(world, "eggs")["stock"], goods(world, "eggs")["sales"]) == (7, 3)
    assert (goods(world, "milk")["stock"], goods(world, "milk")["sales"]) == (2, 1)


def test_a_cancelled_goods_order_gives_its_stock_back_once(world):
    # given
    order = placed(world, body=order_body(world, (world["eggs"], 4)))
    assert goods(world, "eggs")["stock"] == 6
    # when cancelled, and cancelled again
    first = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    second = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    # then
    assert first.status_code == 200
    assert (second.status_code, second.json()["code"]) == (409, "invalid_state")
    assert (goods(world, "eggs")["stock"], goods(world, "eggs")["sales"]) == (10, 0)


def test_an_expired_goods_order_gives_its_stock_back_once(
    world, time_machine, django_capture_on_commit_callbacks
):
    # given
    placed(world, body=order_body(world, (world["milk"], 2)))
    assert goods(world, "milk")["stock"] == 1
    # when the robot runs after the payment timeout, twice
    time_machine.advance(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert ordering.expire_unpaid_orders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert ordering.expire_unpaid_orders() == 0
    # then
    assert goods(world, "milk")["stock"] == 3
