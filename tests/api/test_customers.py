"""GET /stores/{id}/customers and PATCH /stores/{id}/customers/{customer_id}, end to end:
orders paid through the sandbox gateway make the store's customers."""

import uuid
from datetime import datetime

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contexts.customer import bootstrap as customer_bootstrap
from contexts.customer.models import StoreCustomer
from contexts.shared import eventbus
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import OutboxEvent
from tests.api.test_orders_world import build_world, order_body, paid

pytestmark = pytest.mark.django_db

SAM_CONTACT = {"name": "山姆", "phone": "13700000007"}


@pytest.fixture
def world(user_client, phone_client, api_client):
    world = build_world(user_client, phone_client, api_client)
    # distinct nicknames, so that a search tells them apart
    world["cindy"] = user_client("cindy", nickname="Cindy陈")[1]
    world["sam"] = user_client("sam", nickname="山姆大叔")[1]
    return world


@pytest.fixture
def bought(world):
    """cindy pays two orders (2 eggs, then 1 milk), sam one (1 egg)."""
    first = paid(world, "customer")
    second = paid(world, "customer", order_body(world, (world["milk"], 1)))
    third = paid(world, "stranger", order_body(world, (world["eggs"], 1), contact=SAM_CONTACT))
    return world, [first, second, third]


def customers_url(world, store="store_id"):
    return f"/api/v1/stores/{world[store]}/customers"


def listed(world, who="owner", **params):
    response = world[who].get(customers_url(world), params)
    assert response.status_code == 200, response.content
    return response.json()


def row_of(world, user_id):
    return StoreCustomer.objects.get(store_id=world["store_id"], user_id=user_id)


def test_paying_customers_are_listed_newest_buyer_first_with_exact_counts_and_totals(bought):
    # given
    world, (first, second, third) = bought
    # when
    page = listed(world)
    # then
    assert page["count"] == 2
    sam, cindy = page["results"]
    assert {k: sam[k] for k in ("user_id", "nickname", "phone", "order_count", "total_spent_fen")} == {
        "user_id": world["sam"]["id"],
        "nickname": world["sam"]["nickname"],
        "phone": "13700000007",
        "order_count": 1,
        "total_spent_fen": 1280,
    }
    assert (sam["remark"], sam["tags"]) == ("", [])
    assert sam["first_order_at"] == sam["last_order_at"]
    assert {k: cindy[k] for k in ("user_id", "nickname", "phone", "order_count", "total_spent_fen")} == {
        "user_id": world["customer_id"],
        "nickname": world["cindy"]["nickname"],
        "phone": "13800000000",
        "order_count": 2,
        "total_spent_fen": 2 * 1280 + 650,
    }
    assert cindy["first_order_at"] < cindy["last_order_at"] <= sam["last_order_at"]
    assert cindy["id"] == row_of(world, world["customer_id"]).id
    assert set(cindy) == {
        "id", "user_id", "nickname", "phone", "order_count", "total_spent_fen",
        "first_order_at", "last_order_at", "remark", "tags",
    }  # fmt: skip
    # and the other store has no customers
    assert world["other_staff"].get(customers_url(world, "other_store_id")).json()["count"] == 0


def test_search_matches_a_nickname_or_a_phone_in_part(bought):
    world, _orders = bought
    by_phone = listed(world, search="0000007")
    by_nickname = listed(world, search="CINDY")
    by_chinese = listed(world, search="山姆")
    nobody = listed(world, search="no such buyer")
    assert [r["user_id"] for r in by_phone["results"]] == [world["sam"]["id"]]
    assert [r["user_id"] for r in by_nickname["results"]] == [world["customer_id"]]
    assert [r["user_id"] for r in by_chinese["results"]] == [world["sam"]["id"]]
    assert nobody["count"] == 0


def refund_through_the_machinery(order_id: str) -> None:
    """OrderRefunded as ordering publishes it: the OrderPaid payload plus the refund facts."""
    paid_payload = OutboxEvent.objects.get(event_type="OrderPaid", aggregate_id=order_id).payload
    facts = {**paid_payload, "refund_id": str(uuid.uuid4()), "reason": "缺货", "refunded_by": "staff"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(
                DomainEvent("OrderRefunded", aggregate_type="Order", aggregate_id=order_id, payload=facts)
            )
            uow.commit()


def test_a_refunded_order_no_longer_counts(bought):
    # given
    world, (first, second, _third) = bought
    # when cindy's first order is refunded (twice: a repeated event)
    refund_through_the_machinery(first["id"])
    refund_through_the_machinery(first["id"])
    # then
    cindy = next(r for r in listed(world)["results"] if r["user_id"] == world["customer_id"])
    assert (cindy["order_count"], cindy["total_spent_fen"]) == (1, 650)
    assert cindy["first_order_at"] == cindy["last_order_at"]
    second_paid = OutboxEvent.objects.get(event_type="OrderPaid", aggregate_id=second["id"]).payload
    first_order_at = row_of(world, world["customer_id"]).first_order_at
    assert first_order_at == datetime.fromisoformat(second_paid["occurred_at"])


def test_a_refund_through_the_api_reduces_the_customer_once(bought):
    # given
    world, (first, _second, third) = bought
    # when the owner refunds cindy's first order, then tries again
    refunded = world["owner"].post(f"/api/v1/orders/{first['id']}/refund", {"reason": "缺货"}, format="json")
    again = world["owner"].post(f"/api/v1/orders/{first['id']}/refund", {"reason": "缺货"}, format="json")
    # then
    assert refunded.status_code == 200, refunded.content
    assert refunded.json()["status"] == "refunded"
    assert again.status_code == 409
    by_user = {r["user_id"]: r for r in listed(world)["results"]}
    cindy, sam = by_user[world["customer_id"]], by_user[world["sam"]["id"]]
    assert (cindy["order_count"], cindy["total_spent_fen"]) == (1, 650)
    assert cindy["first_order_at"] == cindy["last_order_at"]
    assert (sam["order_count"], sam["total_spent_fen"]) == (1, 1280)
    # and sam refunding his only order leaves him listed with nothing counted
    own = world["stranger"].post(f"/api/v1/orders/{third['id']}/refund", {"reason": "不要了"}, format="json")
    assert own.status_code == 200, own.content
    sam = next(r for r in listed(world)["results"] if r["user_id"] == world["sam"]["id"])
    assert (sam["order_count"], sam["total_spent_fen"], sam["first_order_at"], sam["last_order_at"]) == (
        0,
        0,
        None,
        None,
    )


def test_order_paid_delivered_twice_counts_once(bought):
    # given
    world, (first, _second, _third) = bought
    event_id = OutboxEvent.objects.get(event_type="OrderPaid", aggregate_id=first["id"]).event_id
    # when the outbox row is relayed again and its delivery re-run
    OutboxEvent.objects.filter(pk=event_id).update(dispatched_at=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        eventbus.relay([event_id])
    eventbus.deliver(event_id=str(event_id), handler="contexts.customer.tasks.on_order_paid")
    # then
    assert row_of(world, world["customer_id"]).order_count == 2


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("clerk", 200),
        ("other_staff", 403),
        ("customer", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_list_customers(bought, who, status):
    world, _orders = bought
    response = world[who].get(customers_url(world))
    assert response.status_code == status, response.content
    if status != 200:
        assert response.json()["code"] == {403: "permission_denied", 401: "not_authenticated"}[status]


def test_customers_of_an_unknown_store_are_not_found(world):
    response = world["owner"].get(f"/api/v1/stores/{uuid.uuid4()}/customers")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_list_costs_the_same_queries_for_any_page_size(world):
    # given 12 customers in the store
    for index in range(12):
        customer_bootstrap.count_paid_order(
            order_id=str(uuid.uuid4()),
            store_id=world["store_id"],
            user_id=str(uuid.uuid4()),
            total_fen=100 + index,
            paid_at=timezone.now(),
            contact_phone="13600000000",
        )

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = world["owner"].get(customers_url(world), {"page_size": page_size})
        assert response.status_code == 200 and len(response.json()["results"]) == page_size
        return len(captured)

    # then
    assert queries(2) == queries(12)
