"""POST /solitaires/{id}/resales and GET /stores/{id}/resales: an affiliate store resells a
brand's solitaire, and reads what its resales earned (API.md "Solitaires", "Franchise")."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.api import open_store
from tests.support.franchise import (
    MISSING_STORE,
    brand_solitaire,
    build_world,
    join_franchise,
    leave_franchise,
    members_url,
    ok,
    resales_table,
    resales_url,
    resell,
    set_policy,
    solitaire_of,
    store_resales_url,
)

pytestmark = pytest.mark.django_db

CONTACT = {"name": "王小明", "phone": "13700000000"}


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


@pytest.fixture
def member(world):
    """The affiliate is a member of the brand's franchise, enabled at 1000 bps, weekly."""
    set_policy(world, commission_bps=1000)
    join_franchise(world, world.affiliate["id"])
    return world


@pytest.fixture
def solitaire(world):
    return brand_solitaire(world)


def assert_error(response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.content


def order_body(solitaire: dict, resale_id: str, quantity: int = 1) -> dict:
    """An order of the solitaire's first item placed through the resale."""
    return {
        "solitaire_id": solitaire["id"],
        "resale_id": resale_id,
        "lines": [{"solitaire_item_id": solitaire["items"][0]["id"], "quantity": quantity}],
        "pickup": {"method": "pickup", "pickup_point_id": solitaire["pickup_points"][0]["id"]},
        "contact": CONTACT,
    }


def buy_through(client, solitaire: dict, resale_id: str, quantity: int = 1) -> dict:
    """A paid order placed through the resale."""
    order = ok(client.post("/api/v1/orders", order_body(solitaire, resale_id, quantity), format="json"), 201)
    payment = ok(client.post(f"/api/v1/orders/{order['id']}/pay"))
    return ok(client.post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed"))


# ---- creating --------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "manager"])
def test_an_owner_or_manager_of_a_member_store_resells_a_solitaire(member, solitaire, who):
    # when
    response = resell(member, solitaire, who)
    # then
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "solitaire_id": solitaire["id"], "store_id": member.affiliate["id"]}
    [(resale_id, solitaire_id, brand_id, store_id, _at)] = resales_table()
    assert (resale_id, solitaire_id, brand_id, store_id) == (
        body["id"],
        solitaire["id"],
        member.brand["id"],
        member.affiliate["id"],
    )


def test_asking_again_returns_the_same_resale_with_200(member, solitaire):
    # given
    first = ok(resell(member, solitaire), 201)
    before = resales_table()
    # when
    again = resell(member, solitaire, "manager")
    # then
    assert again.status_code == 200
    assert again.json() == first
    assert resales_table() == before


def test_a_store_resells_several_solitaires_and_several_stores_one_solitaire(member, solitaire):
    # given a second solitaire and a second member
    world = member
    second = brand_solitaire(world, "Saturday veg")
    join_franchise(world, world.other["id"])
    # when
    mine = [ok(resell(world, s), 201)["id"] for s in (solitaire, second)]
    theirs = ok(resell(world, solitaire, "other_store_owner", store_id=world.other["id"]), 201)["id"]
    # then
    assert len({*mine, theirs}) == 3
    assert len(resales_table()) == 3


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("clerk", 403, "permission_denied"),
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_an_owner_or_manager_of_that_store_resells(member, solitaire, who, status, code):
    response = resell(member, solitaire, who)
    assert_error(response, status, code)
    assert resales_table() == []


def test_a_store_that_is_not_a_member_is_409(world, solitaire):
    # given an enabled franchise the affiliate never joined
    set_policy(world)
    # when
    response = resell(world, solitaire)
    # then
    assert_error(response, 409, "franchise_disabled")
    assert resales_table() == []


def test_a_member_of_a_disabled_franchise_is_409(member, solitaire):
    set_policy(member, enabled=False)
    response = resell(member, solitaire)
    assert_error(response, 409, "franchise_disabled")
    assert resales_table() == []


def test_a_store_removed_from_the_franchise_is_409_even_for_its_old_resale(member, solitaire):
    # given a resale, then the store leaves the franchise
    ok(resell(member, solitaire), 201)
    before = resales_table()
    leave_franchise(member, member.affiliate["id"])
    # when
    response = resell(member, solitaire)
    # then
    assert_error(response, 409, "franchise_disabled")
    assert resales_table() == before


def test_the_brand_itself_cannot_resell(member, solitaire):
    # the brand's owner asks for a resale by the brand store
    body = {"store_id": member.brand["id"]}
    response = member.brand_clients["owner"].post(resales_url(solitaire["id"]), body, format="json")
    assert_error(response, 409, "franchise_disabled")
    assert resales_table() == []


def test_an_unknown_solitaire_is_404(member):
    body = {"store_id": member.affiliate["id"]}
    response = member.affiliate_clients["owner"].post(resales_url(MISSING_STORE), body, format="json")
    assert_error(response, 404, "not_found")
    assert resales_table() == []


def test_a_draft_solitaire_is_404_for_the_affiliate(member):
    draft = brand_solitaire(member, "Not yet", publish=False)
    response = resell(member, draft)
    assert_error(response, 404, "not_found")
    assert resales_table() == []


def test_an_unknown_store_is_404(member, solitaire):
    response = resell(member, solitaire, store_id=MISSING_STORE)
    assert_error(response, 404, "not_found")
    assert resales_table() == []


@pytest.mark.parametrize(
    "body",
    [{}, {"store_id": 5}, {"store_id": None}, {"store_id": False}, {"store_id": {}}, {"store_id": "x" * 37}],
)
def test_a_bad_body_is_400_and_creates_nothing(member, solitaire, body):
    response = member.affiliate_clients["owner"].post(resales_url(solitaire["id"]), body, format="json")
    assert_error(response, 400, "invalid")
    assert list(response.json()["fields"]) == ["store_id"]
    assert resales_table() == []


# ---- listing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_every_staff_role_of_the_affiliate_lists_its_resales_newest_first(
    member, solitaire, who, time_machine
):
    # given two resales, five minutes apart
    world = member
    first = ok(resell(world, solitaire), 201)
    time_machine.advance(minutes=5)
    second_solitaire = brand_solitaire(world, "Saturday veg")
    second = ok(resell(world, second_solitaire), 201)
    # when
    response = world.affiliate_clients[who].get(store_resales_url(world.affiliate["id"]))
    # then
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["next"], page["previous"]) == (2, None, None)
    assert [row["id"] for row in page["results"]] == [second["id"], first["id"]]
    row = page["results"][1]
    assert row == {
        "id": first["id"],
        "solitaire_id": solitaire["id"],
        "store_id": world.affiliate["id"],
        "solitaire": {
            "id": solitaire["id"],
            "title": "Friday fruit",
            "store": {"id": world.brand["id"], "name": "Brand shop"},
        },
        "order_count": 0,
        "commission_fen": 0,
        "created_at": row["created_at"],
    }
    created = [datetime.fromisoformat(r["created_at"]) for r in page["results"]]
    assert (created[0] - created[1]).total_seconds() >= 300


def test_the_list_counts_paid_orders_and_their_commissions(member, solitaire, user_client):
    # given a resale at 1000 bps, two paid orders through it (1200 and 3600 fen) and an unpaid one
    resale = ok(resell(member, solitaire), 201)
    buyer, _ = user_client("dora")
    buy_through(buyer, solitaire, resale["id"], quantity=1)
    buy_through(buyer, solitaire, resale["id"], quantity=3)
    ok(buyer.post("/api/v1/orders", order_body(solitaire, resale["id"]), format="json"), 201)
    # when
    page = ok(member.affiliate_clients["clerk"].get(store_resales_url(member.affiliate["id"])))
    # then
    [row] = page["results"]
    assert (row["order_count"], row["commission_fen"]) == (2, 120 + 360)


def test_an_order_through_the_resale_of_a_removed_member_is_409(member, solitaire, user_client):
    # given a resale, then the store leaves the franchise
    resale = ok(resell(member, solitaire), 201)
    leave_franchise(member, member.affiliate["id"])
    buyer, _ = user_client("dora")
    # when
    response = buyer.post("/api/v1/orders", order_body(solitaire, resale["id"]), format="json")
    # then
    assert_error(response, 409, "franchise_disabled")
    assert ok(buyer.get("/api/v1/orders"))["count"] == 0


def test_a_store_without_resales_lists_an_empty_page(world):
    page = ok(world.affiliate_clients["owner"].get(store_resales_url(world.affiliate["id"])))
    assert page == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_list_is_paginated(member, solitaire):
    world = member
    ids = [ok(resell(world, s), 201)["id"] for s in (solitaire, brand_solitaire(world, "B"))]
    ids += [ok(resell(world, brand_solitaire(world, "C")), 201)["id"]]
    page = ok(
        world.affiliate_clients["owner"].get(store_resales_url(world.affiliate["id"]), {"page_size": 2})
    )
    rest = ok(world.affiliate_clients["owner"].get(page["next"]))
    assert page["count"] == 3
    assert {r["id"] for r in page["results"] + rest["results"]} == set(ids)


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_outsiders_cannot_list_a_stores_resales(member, solitaire, who, status, code):
    ok(resell(member, solitaire), 201)
    response = member.affiliate_clients[who].get(store_resales_url(member.affiliate["id"]))
    assert_error(response, status, code)
    assert "results" not in response.json()


def test_the_brand_does_not_list_an_affiliates_resales(member, solitaire):
    ok(resell(member, solitaire), 201)
    response = member.brand_clients["owner"].get(store_resales_url(member.affiliate["id"]))
    assert_error(response, 403, "permission_denied")


def test_an_unknown_store_has_no_resales_to_list(world):
    response = world.affiliate_clients["owner"].get(store_resales_url(MISSING_STORE))
    assert_error(response, 404, "not_found")


def test_listing_costs_the_same_queries_for_two_or_five_resales(member, user_client):
    # given two resales, then five (of five solitaires, two of them of a second brand)
    world = member
    owner, url = world.affiliate_clients["owner"], store_resales_url(world.affiliate["id"])
    for title in ("A", "B"):
        ok(resell(world, brand_solitaire(world, title)), 201)
    with CaptureQueriesContext(connection) as two:
        assert len(ok(owner.get(url))["results"]) == 2
    second_owner, _ = user_client("bella")
    second = open_store(second_owner, "13800000005", "Second brand")
    body = {"enabled": True, "commission_bps": 500, "billing_cycle": "daily"}
    ok(second_owner.put(f"/api/v1/stores/{second['id']}/franchise", body, format="json"))
    joined = {"store_id": world.affiliate["id"]}
    ok(second_owner.post(members_url(second["id"]), joined, format="json"), 201)
    ok(resell(world, brand_solitaire(world, "C")), 201)
    for title in ("D", "E"):
        ok(resell(world, solitaire_of(second_owner, second["id"], title)), 201)
    # when
    with CaptureQueriesContext(connection) as five:
        assert len(ok(owner.get(url))["results"]) == 5
    # then
    assert len(five) == len(two)
