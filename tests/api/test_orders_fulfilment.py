"""POST /stores/{id}/orders/verify-pickup (核销) and POST /orders/{id}/confirm-receipt."""

from datetime import datetime

import pytest

from contexts.ordering.models import Order
from contexts.shared.models import OutboxEvent
from tests.api.test_orders_world import build_world, paid, placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def verify(world, code, who: str = "clerk", store: str = "store_id"):
    return world[who].post(
        f"/api/v1/stores/{world[store]}/orders/verify-pickup", {"pickup_code": code}, format="json"
    )


def confirm(world, order_id: str, who: str = "customer"):
    return world[who].post(f"/api/v1/orders/{order_id}/confirm-receipt")


def completed_events() -> list[tuple]:
    return [
        (e.aggregate_id, e.payload["completed_by"])
        for e in OutboxEvent.objects.filter(event_type="OrderCompleted").order_by("occurred_at")
    ]


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_staff_verify_a_pickup_code_and_the_order_is_completed(world, who):
    # given a paid order; its customer shows the code
    order = paid(world)
    # when
    response = verify(world, order["pickup_code"], who=who)
    # then
    assert response.status_code == 200
    body = response.json()
    row = Order.objects.get(pk=order["id"])
    assert (body["id"], body["status"], body["pickup_code"], row.status, row.completed_by) == (
        order["id"],
        "completed",
        None,
        "completed",
        "staff",
    )
    assert datetime.fromisoformat(body["completed_at"]) == row.completed_at
    assert completed_events() == [(order["id"], "staff")]
    # and its customer still sees the order, completed, with its code
    mine = world["customer"].get(f"/api/v1/orders/{order['id']}").json()
    assert (mine["status"], mine["pickup_code"]) == ("completed", order["pickup_code"])


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("other_staff", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("stranger", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_nobody_but_the_stores_staff_verifies(world, who, status, code):
    order = paid(world)
    response = verify(world, order["pickup_code"], who=who)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (Order.objects.get().status, completed_events()) == ("paid", [])


def test_a_code_verified_twice_is_invalid_state(world):
    order = paid(world)
    first, second = verify(world, order["pickup_code"]), verify(world, order["pickup_code"], who="owner")
    assert (first.status_code, second.status_code, second.json()["code"]) == (200, 409, "invalid_state")
    assert completed_events() == [(order["id"], "staff")]


def test_the_code_of_a_refunded_order_is_invalid_state(world):
    order = paid(world)
    refunded = world["customer"].post(
        f"/api/v1/orders/{order['id']}/refund", {"reason": "不要了"}, format="json"
    )
    assert refunded.status_code == 200
    response = verify(world, order["pickup_code"])
    assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Order.objects.get().status == "refunded"


def test_an_unknown_code_and_another_stores_code_are_not_found(world):
    order = paid(world)
    unknown = "12345678" if order["pickup_code"] != "12345678" else "87654321"
    # another store's staff, at their own store, with this store's code
    elsewhere = verify(world, order["pickup_code"], who="other_staff", store="other_store_id")
    nowhere = verify(world, unknown)
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "not_found")
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "not_found")
    assert (Order.objects.get().status, completed_events()) == ("paid", [])


@pytest.mark.parametrize(
    "body", [{}, {"pickup_code": ""}, {"pickup_code": "   "}, {"pickup_code": "1" * 33}, {"code": "12345678"}]
)
def test_a_bad_body_is_invalid(world, body):
    paid(world)
    response = world["clerk"].post(
        f"/api/v1/stores/{world['store_id']}/orders/verify-pickup", body, format="json"
    )
    assert (response.status_code, response.json()["code"], list(response.json()["fields"])) == (
        400,
        "invalid",
        ["pickup_code"],
    )
    assert Order.objects.get().status == "paid"


def test_its_customer_confirms_receipt(world):
    order = paid(world)
    response = confirm(world, order["id"])
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["pickup_code"]) == ("completed", order["pickup_code"])
    assert datetime.fromisoformat(body["completed_at"]) == Order.objects.get().completed_at
    assert completed_events() == [(order["id"], "customer")]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("owner", 404, "not_found"),
        ("clerk", 404, "not_found"),
        ("other_staff", 404, "not_found"),
        ("stranger", 404, "not_found"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_its_customer_confirms_receipt(world, who, status, code):
    order = paid(world)
    response = confirm(world, order["id"], who=who)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (Order.objects.get().status, completed_events()) == ("paid", [])


def test_confirming_an_unpaid_or_a_completed_order_is_invalid_state(world):
    unpaid, done = placed(world), paid(world)
    assert confirm(world, done["id"]).status_code == 200
    for order in (unpaid, done):
        response = confirm(world, order["id"])
        assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert Order.objects.get(pk=unpaid["id"]).status == "pending_payment"
    assert completed_events() == [(done["id"], "customer")]
