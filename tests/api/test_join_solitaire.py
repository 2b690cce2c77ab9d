"""Joining a solitaire through POST /orders: stock, limits, open window, idempotency, and what
follows from payment (participation) and cancellation (stock back)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.ordering.models import Order
from contexts.solitaire.models import Participation, SolitaireItem
from contexts.store import bootstrap as store_bootstrap
from tests.api.test_solitaires_support import (
    build_world,
    create_solitaire,
    detail,
    join,
    pay,
    publish,
    published_solitaire,
)


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def sold() -> list[int]:
    return list(SolitaireItem.objects.order_by("position").values_list("sold", flat=True))


def test_a_customer_joins_and_the_order_is_priced_by_the_items(world):
    # given
    solitaire = published_solitaire(world)
    # when
    response = join(world["customer"], solitaire, [(0, 2), (1, 1)])
    # then
    assert response.status_code == 201, response.content
    order = response.json()
    assert (order["status"], order["solitaire_id"], order["store_id"], order["total_fen"]) == (
        "pending_payment",
        solitaire["id"],
        world.store["id"],
        2 * 990 + 800,
    )
    assert [(line["name"], line["price_fen"], line["quantity"]) for line in order["lines"]] == [
        ("苹果", 990, 2),
        ("香梨", 800, 1),
    ]
    items = detail(world["customer"], solitaire)["items"]
    assert [(i["sold"], i["remaining"]) for i in items] == [(2, 8), (1, 4)]


@pytest.mark.parametrize("when", ["draft", "not_started", "ended", "closed", "frozen_store"])
def test_joining_when_not_open_is_solitaire_not_open_and_changes_nothing(world, when):
    # given
    now = timezone.now()
    if when == "draft":
        solitaire = create_solitaire(world)
    elif when == "not_started":
        solitaire = published_solitaire(world, start_at=(now + timedelta(hours=1)).isoformat())
    elif when == "ended":
        solitaire = published_solitaire(
            world,
            start_at=(now - timedelta(days=2)).isoformat(),
            end_at=(now - timedelta(seconds=1)).isoformat(),
        )
    else:
        solitaire = published_solitaire(world)
    if when == "closed":
        world["owner"].post(f"/api/v1/solitaires/{solitaire['id']}/close")
    if when == "frozen_store":
        store_bootstrap.freeze_store(store_id=world.store["id"])
    # when
    response = join(world["customer"], solitaire, [(0, 1)])
    # then
    assert (response.status_code, response.json()["code"]) == (409, "solitaire_not_open")
    assert sold() == [0, 0]
    assert Order.objects.count() == 0


def test_the_limit_counts_unpaid_and_paid_orders(world):
    # given apples limited to 2 per customer: one paid, one unpaid
    solitaire = published_solitaire(world)
    paid = join(world["customer"], solitaire, [(0, 1)]).json()
    pay(world["customer"], paid)
    assert join(world["customer"], solitaire, [(0, 1)]).status_code == 201
    # when
    response = join(world["customer"], solitaire, [(0, 1)])
    # then
    assert (response.status_code, response.json()["code"]) == (409, "limit_exceeded")
    assert sold() == [2, 0]
    assert Order.objects.count() == 2
    # and another customer still may
    other = world["manager"]
    assert join(other, solitaire, [(0, 2)]).status_code == 201


def test_a_cancelled_order_no_longer_counts_and_gives_its_stock_back(world):
    # given
    solitaire = published_solitaire(world)
    order = join(world["customer"], solitaire, [(0, 2)]).json()
    # when
    cancelled = world["customer"].post(f"/api/v1/orders/{order['id']}/cancel")
    # then
    assert cancelled.status_code == 200, cancelled.content
    assert sold() == [0, 0]
    assert join(world["customer"], solitaire, [(0, 2)]).status_code == 201
    assert sold() == [2, 0]


def test_out_of_stock_reserves_nothing(world):
    # given pears: 5 in stock
    solitaire = published_solitaire(world)
    # when
    response = join(world["customer"], solitaire, [(0, 1), (1, 6)])
    # then
    assert (response.status_code, response.json()["code"]) == (409, "out_of_stock")
    assert sold() == [0, 0]
    assert Order.objects.count() == 0
    assert join(world["customer"], solitaire, [(1, 5)]).status_code == 201
    assert join(world["manager"], solitaire, [(1, 1)]).json()["code"] == "out_of_stock"


def test_an_item_of_another_solitaire_or_a_foreign_pickup_point_is_invalid(world):
    # given
    solitaire = published_solitaire(world)
    other = published_solitaire(world, title="另一个接龙")
    # when
    foreign_item = join(world["customer"], solitaire, [(other["items"][0]["id"], 1)])
    foreign_point = join(world["customer"], solitaire, [(0, 1)], point=world.points[1]["id"])
    # then
    for response in (foreign_item, foreign_point):
        assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert list(SolitaireItem.objects.values_list("sold", flat=True)) == [0, 0, 0, 0]
    assert Order.objects.count() == 0


def test_an_unknown_solitaire_is_404(world):
    solitaire = published_solitaire(world)
    response = join(world["customer"], {**solitaire, "id": "no-such-solitaire"}, [(0, 1)])
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_same_idempotency_key_returns_the_same_order_and_reserves_once(world):
    solitaire = published_solitaire(world)
    first = join(world["customer"], solitaire, [(0, 1)], key="join-1")
    again = join(world["customer"], solitaire, [(0, 1)], key="join-1")
    assert first.status_code == 201 and again.status_code in (200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert sold() == [1, 0]
    assert Order.objects.count() == 1


def test_a_paid_order_becomes_a_participation_with_its_sequence_number(world):
    # given two customers who pay
    solitaire = published_solitaire(world)
    first = pay(world["customer"], join(world["customer"], solitaire, [(0, 2), (1, 1)]).json())
    second = pay(world["manager"], join(world["manager"], solitaire, [(1, 1)]).json())
    # an unpaid order is no participation
    join(world["clerk"], solitaire, [(1, 1)])
    # when
    anonymous = world["anonymous"].get(f"/api/v1/solitaires/{solitaire['id']}/participations")
    page = world["other_staff"].get(f"/api/v1/solitaires/{solitaire['id']}/participations")
    # then
    assert anonymous.status_code == 401
    assert page.status_code == 200
    body = page.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [(p["sequence_no"], p["nickname"], p["items"]) for p in body["results"]] == [
        (1, "C*", [{"name": "苹果", "quantity": 2}, {"name": "香梨", "quantity": 1}]),
        (2, f"{world.users['manager']['nickname'][:1]}*", [{"name": "香梨", "quantity": 1}]),
    ]
    assert [p["joined_at"] for p in body["results"]] == [first["paid_at"], second["paid_at"]]
    assert detail(world["customer"], solitaire)["participant_count"] == 2
    assert Participation.objects.count() == 2


def test_adding_a_solitaire_item_to_the_cart_prices_it_by_the_item(world):
    solitaire = published_solitaire(world)
    response = world["customer"].post(
        "/api/v1/cart/lines", {"solitaire_item_id": solitaire["items"][0]["id"], "quantity": 2}, format="json"
    )
    assert response.status_code == 201, response.content
    line = response.json()
    assert (line["name"], line["price_fen"], line["quantity"], line["solitaire_item_id"]) == (
        "苹果",
        990,
        2,
        solitaire["items"][0]["id"],
    )
    closed = publish(world, create_solitaire(world, title="草稿"))
    world["owner"].post(f"/api/v1/solitaires/{closed['id']}/close")
    refused = world["customer"].post(
        "/api/v1/cart/lines", {"solitaire_item_id": closed["items"][0]["id"], "quantity": 1}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "solitaire_not_open")
