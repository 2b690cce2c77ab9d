"""GET /orders, GET /orders/{id} and GET /stores/{id}/orders: who sees what, filters, queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contexts.ordering.models import Order
from tests.api.test_orders_world import add_goods, build_world, order_body, paid, placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


@pytest.mark.parametrize(
    ("who", "status", "sees_code"),
    [
        ("customer", 200, True),
        ("owner", 200, False),
        ("manager", 200, False),
        ("clerk", 200, False),
        ("other_staff", 404, None),
        ("stranger", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_an_order_is_shown_to_its_customer_and_its_stores_staff_only(world, who, status, sees_code):
    order = paid(world)
    response = world[who].get(f"/api/v1/orders/{order['id']}")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body == {**order, "pickup_code": order["pickup_code"] if sees_code else None}
    else:
        assert response.json()["code"] == ("not_authenticated" if who == "anonymous" else "not_found")


def test_an_unknown_order_is_404(world):
    response = world["customer"].get("/api/v1/orders/no-such-order")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_my_orders_are_mine_newest_first_and_filtered_by_status(world):
    first = placed(world)
    second = paid(world)
    placed(world, "stranger")
    mine = world["customer"].get("/api/v1/orders").json()
    assert (mine["count"], [o["id"] for o in mine["results"]]) == (2, [second["id"], first["id"]])
    assert mine["results"][0]["pickup_code"] == second["pickup_code"]
    only_paid = world["customer"].get("/api/v1/orders", {"status": "paid"}).json()
    assert [o["id"] for o in only_paid["results"]] == [second["id"]]
    bad = world["customer"].get("/api/v1/orders", {"status": "lost"})
    assert (bad.status_code, bad.json()["code"], list(bad.json()["fields"])) == (400, "invalid", ["status"])


def count_queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_page_size(world):
    rice = add_goods(world["owner"], world["store_id"], name="大米", stock=10)
    for _ in range(5):
        placed(world, body=order_body(world, (world["eggs"], 1), (rice, 1)))
    url = f"/api/v1/stores/{world['store_id']}/orders"
    assert count_queries(world["owner"], url, {"page_size": 1}) == count_queries(
        world["owner"], url, {"page_size": 5}
    )
    mine = "/api/v1/orders"
    assert count_queries(world["customer"], mine, {"page_size": 1}) == count_queries(
        world["customer"], mine, {"page_size": 5}
    )
    assert len(world["owner"].get(url, {"page_size": 5}).json()["results"][4]["lines"]) == 2


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("owner", 200, None),
        ("manager", 200, None),
        ("clerk", 200, None),
        ("other_staff", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_the_stores_staff_list_its_orders(world, who, status, code):
    order = paid(world)
    response = world[who].get(f"/api/v1/stores/{world['store_id']}/orders")
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
    else:
        assert response.json()["count"] == 1
        assert response.json()["results"][0] == {**order, "pickup_code": None}


def test_store_orders_filter_by_status_solitaire_time_and_search(world):
    # given a paid order and a pending one of another contact, the first one a day older
    first = paid(world)
    second = placed(world, body=order_body(world, contact={"name": "李四", "phone": "13700000000"}))
    Order.objects.filter(pk=first["id"]).update(created_at=timezone.now() - timedelta(days=1))
    url = f"/api/v1/stores/{world['store_id']}/orders"

    def ids(**params) -> list[str]:
        response = world["owner"].get(url, params)
        assert response.status_code == 200, response.content
        return [o["id"] for o in response.json()["results"]]

    # then
    assert ids() == [second["id"], first["id"]]
    assert ids(status="paid") == [first["id"]]
    assert ids(solitaire_id="sol-1") == []
    cut = (timezone.now() - timedelta(hours=1)).isoformat()
    assert ids(created_after=cut) == [second["id"]]
    assert ids(created_before=cut) == [first["id"]]
    assert ids(search="李四") == [second["id"]]
    assert ids(search="13700000000") == [second["id"]]
    assert ids(search=first["order_no"]) == [first["id"]]


@pytest.mark.parametrize("params", [{"status": "lost"}, {"created_after": "yesterday"}])
def test_a_bad_store_filter_is_400(world, params):
    response = world["owner"].get(f"/api/v1/stores/{world['store_id']}/orders", params)
    assert (response.status_code, response.json()["code"], list(response.json()["fields"])) == (
        400,
        "invalid",
        list(params),
    )
