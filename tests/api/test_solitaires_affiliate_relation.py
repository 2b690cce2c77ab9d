"""GET /solitaires?scope=mine for an affiliate's staff: the published solitaires of the brands
whose franchise their store belongs to, with relation "affiliate", at a constant number of
queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.franchise import (
    brand_solitaire,
    build_world,
    join_franchise,
    leave_franchise,
    ok,
    set_policy,
)

pytestmark = pytest.mark.django_db
MINE = "/api/v1/solitaires?scope=mine"


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def relations(client) -> list[tuple]:
    return [(s["title"], s["relation"]) for s in ok(client.get(MINE))["results"]]


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_an_affiliates_staff_see_the_brands_published_solitaires_as_affiliate(world, who):
    # given the affiliate is a member and the brand has a draft and a published solitaire
    set_policy(world)
    join_franchise(world, world.affiliate["id"])
    brand_solitaire(world, "草稿", publish=False)
    brand_solitaire(world, "周五水果")
    # when
    listed = relations(world.affiliate_clients[who])
    # then
    assert listed == [("周五水果", ["affiliate"])]


def test_the_brands_staff_stay_operators_and_outsiders_see_nothing(world):
    set_policy(world)
    join_franchise(world, world.affiliate["id"])
    brand_solitaire(world, "周五水果")
    assert relations(world.brand_clients["owner"]) == [("周五水果", ["operator"])]
    assert relations(world.brand_clients["other_store_owner"]) == []
    assert relations(world.brand_clients["customer"]) == []


def test_a_store_that_left_the_franchise_is_no_longer_an_affiliate(world):
    # given a member that leaves
    set_policy(world)
    join_franchise(world, world.affiliate["id"])
    brand_solitaire(world, "周五水果")
    # when
    leave_franchise(world, world.affiliate["id"])
    # then
    assert relations(world.affiliate_clients["owner"]) == []


def test_the_page_costs_the_same_queries_for_one_or_four_brand_solitaires(world):
    # given a member store and one brand solitaire
    set_policy(world)
    join_franchise(world, world.affiliate["id"])
    brand_solitaire(world, "第 1 期")
    client = world.affiliate_clients["owner"]
    with CaptureQueriesContext(connection) as one:
        ok(client.get(MINE))
    # when three more are published
    for n in (2, 3, 4):
        brand_solitaire(world, f"第 {n} 期")
    with CaptureQueriesContext(connection) as four:
        page = ok(client.get(MINE))
    # then
    assert page["count"] == 4
    assert len(four.captured_queries) == len(one.captured_queries)
