"""GET, POST /stores/{id}/franchise/members and DELETE /stores/{id}/franchise/members/{store_id}:
the affiliate stores of a brand's franchise (API.md "Franchise")."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.api import open_store
from tests.support.franchise import (
    MISSING_STORE,
    build_world,
    join_franchise,
    leave_franchise,
    member_url,
    members_table,
    members_url,
    ok,
    set_policy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


@pytest.fixture
def enabled(world):
    set_policy(world)
    return world


def add(world, who: str, store_id, brand_id=None):
    return world.brand_clients[who].post(
        members_url(brand_id or world.brand["id"]), {"store_id": store_id}, format="json"
    )


def assert_error(response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.content


# ---- adding ----------------------------------------------------------------------------------
def test_the_owner_adds_a_member_while_the_franchise_is_enabled(enabled):
    # given
    world = enabled
    # when
    response = add(world, "owner", world.affiliate["id"])
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["store_id"], body["store_name"]) == (world.affiliate["id"], "Affiliate shop")
    joined_at = datetime.fromisoformat(body["joined_at"])
    assert joined_at.utcoffset().total_seconds() == 8 * 3600
    assert members_table() == [(world.brand["id"], world.affiliate["id"], joined_at)]


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("manager", 403, "permission_denied"),
        ("clerk", 403, "permission_denied"),
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_the_owner_adds_a_member(enabled, who, status, code):
    # when
    response = add(enabled, who, enabled.affiliate["id"])
    # then
    assert_error(response, status, code)
    assert members_table() == []


def test_adding_while_the_franchise_is_disabled_is_409_and_adds_nothing(world):
    # given a brand whose franchise was never enabled
    # when
    response = add(world, "owner", world.affiliate["id"])
    # then
    assert_error(response, 409, "franchise_disabled")
    assert members_table() == []


def test_adding_after_the_franchise_was_disabled_is_409(enabled):
    # given
    world = enabled
    join_franchise(world, world.affiliate["id"])
    set_policy(world, enabled=False)
    before = members_table()
    # when
    response = add(world, "owner", world.other["id"])
    # then
    assert_error(response, 409, "franchise_disabled")
    assert members_table() == before


def test_a_store_is_a_member_at_most_once(enabled):
    # given
    world = enabled
    join_franchise(world, world.affiliate["id"])
    before = members_table()
    # when
    response = add(world, "owner", world.affiliate["id"])
    # then
    assert_error(response, 409, "invalid_state")
    assert members_table() == before


def test_a_brand_cannot_be_its_own_member(enabled):
    # when
    response = add(enabled, "owner", enabled.brand["id"])
    # then
    assert_error(response, 400, "invalid")
    assert list(response.json()["fields"]) == ["store_id"]
    assert members_table() == []


def test_a_store_may_be_a_member_of_several_brands(enabled, user_client):
    # given a second brand, enabled too
    world = enabled
    second_owner, _ = user_client("bella")
    second = open_store(second_owner, "13800000005", "Second brand")
    body = {"enabled": True, "commission_bps": 500, "billing_cycle": "daily"}
    ok(second_owner.put(f"/api/v1/stores/{second['id']}/franchise", body, format="json"))
    join_franchise(world, world.affiliate["id"])
    # when
    response = second_owner.post(
        members_url(second["id"]), {"store_id": world.affiliate["id"]}, format="json"
    )
    # then
    assert response.status_code == 201
    assert sorted((b, m) for b, m, _at in members_table()) == sorted(
        [(world.brand["id"], world.affiliate["id"]), (second["id"], world.affiliate["id"])]
    )


def test_an_unknown_store_to_add_is_404_and_adds_nothing(enabled):
    response = add(enabled, "owner", MISSING_STORE)
    assert_error(response, 404, "not_found")
    assert members_table() == []


def test_an_unknown_brand_is_404(enabled):
    # when
    listed = enabled.brand_clients["owner"].get(members_url(MISSING_STORE))
    added = add(enabled, "owner", enabled.affiliate["id"], brand_id=MISSING_STORE)
    removed = enabled.brand_clients["owner"].delete(member_url(MISSING_STORE, enabled.affiliate["id"]))
    # then
    assert_error(listed, 404, "not_found")
    assert_error(added, 404, "not_found")
    assert_error(removed, 404, "not_found")
    assert members_table() == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"store_id": 5},
        {"store_id": None},
        {"store_id": True},
        {"store_id": ["x"]},
        {"store_id": "x" * 37},
    ],
)
def test_a_bad_body_is_400_and_adds_nothing(enabled, body):
    # when
    response = enabled.brand_clients["owner"].post(members_url(enabled.brand["id"]), body, format="json")
    # then
    assert_error(response, 400, "invalid")
    assert list(response.json()["fields"]) == ["store_id"]
    assert members_table() == []


@pytest.mark.parametrize("raw", ["[]", '"store"', "not json"])
def test_a_body_that_is_not_an_object_is_400(enabled, raw):
    owner = enabled.brand_clients["owner"]
    response = owner.post(members_url(enabled.brand["id"]), raw, content_type="application/json")
    assert_error(response, 400, "invalid")
    assert members_table() == []


# ---- listing ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_every_staff_role_lists_the_members_oldest_first(enabled, who, time_machine):
    # given
    world = enabled
    first = join_franchise(world, world.affiliate["id"])
    time_machine.advance(minutes=5)
    second = join_franchise(world, world.other["id"])
    # when
    response = world.brand_clients[who].get(members_url(world.brand["id"]))
    # then
    assert response.status_code == 200
    assert response.json() == [first, second]
    assert [m["store_name"] for m in response.json()] == ["Affiliate shop", "Other shop"]


def test_a_brand_without_members_lists_none(world):
    assert ok(world.brand_clients["clerk"].get(members_url(world.brand["id"]))) == []


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_outsiders_cannot_list_the_members(enabled, who, status, code):
    join_franchise(enabled, enabled.affiliate["id"])
    response = enabled.brand_clients[who].get(members_url(enabled.brand["id"]))
    assert_error(response, status, code)
    assert "Affiliate shop" not in response.content.decode()


def test_a_member_store_cannot_list_the_brands_members(enabled):
    # the affiliate's owner is staff of the affiliate, not of the brand
    join_franchise(enabled, enabled.affiliate["id"])
    response = enabled.affiliate_clients["owner"].get(members_url(enabled.brand["id"]))
    assert_error(response, 403, "permission_denied")


def test_listing_costs_the_same_queries_for_two_or_five_members(enabled, user_client):
    # given two members, then five
    world = enabled
    owner = world.brand_clients["owner"]
    url = members_url(world.brand["id"])
    join_franchise(world, world.affiliate["id"])
    join_franchise(world, world.other["id"])
    with CaptureQueriesContext(connection) as two:
        assert len(ok(owner.get(url))) == 2
    for n in range(3):
        client, _ = user_client(f"extra{n}")
        join_franchise(world, open_store(client, f"1380000001{n}", f"Extra {n}")["id"])
    # when
    with CaptureQueriesContext(connection) as five:
        assert len(ok(owner.get(url))) == 5
    # then
    assert len(five) == len(two)


# ---- removing --------------------------------------------------------------------------------
def test_the_owner_removes_a_member(enabled):
    # given
    world = enabled
    join_franchise(world, world.affiliate["id"])
    kept = join_franchise(world, world.other["id"])
    # when
    response = world.brand_clients["owner"].delete(member_url(world.brand["id"], world.affiliate["id"]))
    # then
    assert response.status_code == 204
    assert response.content == b""
    assert ok(world.brand_clients["owner"].get(members_url(world.brand["id"]))) == [kept]


def test_a_removed_store_may_join_again(enabled):
    world = enabled
    join_franchise(world, world.affiliate["id"])
    leave_franchise(world, world.affiliate["id"])
    assert add(world, "owner", world.affiliate["id"]).status_code == 201
    assert [m for _b, m, _at in members_table()] == [world.affiliate["id"]]


def test_a_member_is_removed_while_the_franchise_is_disabled_too(enabled):
    world = enabled
    join_franchise(world, world.affiliate["id"])
    set_policy(world, enabled=False)
    response = world.brand_clients["owner"].delete(member_url(world.brand["id"], world.affiliate["id"]))
    assert response.status_code == 204
    assert members_table() == []


@pytest.mark.parametrize("store_id", ["affiliate", "missing"])
def test_removing_a_store_that_is_not_a_member_is_404(enabled, store_id):
    # given the other store is a member, the affiliate is not
    world = enabled
    join_franchise(world, world.other["id"])
    before = members_table()
    target = world.affiliate["id"] if store_id == "affiliate" else MISSING_STORE
    # when
    response = world.brand_clients["owner"].delete(member_url(world.brand["id"], target))
    # then
    assert_error(response, 404, "not_found")
    assert members_table() == before


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("manager", 403, "permission_denied"),
        ("clerk", 403, "permission_denied"),
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_the_owner_removes_a_member(enabled, who, status, code):
    # given
    join_franchise(enabled, enabled.affiliate["id"])
    before = members_table()
    # when
    response = enabled.brand_clients[who].delete(member_url(enabled.brand["id"], enabled.affiliate["id"]))
    # then
    assert_error(response, status, code)
    assert members_table() == before


def test_the_member_itself_cannot_leave_by_the_brands_endpoint(enabled):
    join_franchise(enabled, enabled.affiliate["id"])
    before = members_table()
    response = enabled.affiliate_clients["owner"].delete(
        member_url(enabled.brand["id"], enabled.affiliate["id"])
    )
    assert_error(response, 403, "permission_denied")
    assert members_table() == before
