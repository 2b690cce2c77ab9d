"""The round trips of the load harness's browsing: GET /solitaires/{id} (the solitaire with its
participant count and items in one statement, its store with its pickup points in one) and GET
/solitaires/{id}/participations (the solitaire read for its visibility only: the page counts its
rows once)."""

import pytest

from tests.api.test_solitaires_support import build_world, join, pay, published_solitaire
from tests.support.statements import capture, touching

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def test_the_detail_of_a_solitaire_is_two_statements_after_the_token(world):
    # given a solitaire of two items at two pickup points, in which two customers paid
    points = [point["id"] for point in world.points]
    solitaire = published_solitaire(world, pickup_point_ids=points)
    pay(world["customer"], join(world["customer"], solitaire, [(0, 2), (1, 1)]).json())
    pay(world["manager"], join(world["manager"], solitaire, [(1, 1)]).json())
    url = f"/api/v1/solitaires/{solitaire['id']}"
    world["other_staff"].get(url)  # the token's "last used" write happens at most once a minute
    # when someone of another store opens it
    with capture() as captured:
        response = world["other_staff"].get(url)
    # then
    assert touching(captured, "") == [
        ("SELECT", "identity_apitoken"),
        ("SELECT", "solitaire_solitaire"),  # with its participant count and items
        ("SELECT", "store_store"),  # with its pickup points
    ]
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["participant_count"], body["status"], body["is_open"]) == (2, "published", True)
    assert body["store"] == {
        "id": world.store["id"],
        "name": "幸福小店",
        "door_image_url": "https://static.groupbuy.example/door/default.png",  # the platform's
    }
    assert [(p["id"], p["name"], p["is_default"]) for p in body["pickup_points"]] == [
        (points[0], world.points[0]["name"], True),
        (points[1], "东门", False),
    ]
    assert [
        (i["name"], i["price_fen"], i["stock"], i["sold"], i["remaining"], i["per_customer_limit"])
        for i in body["items"]
    ] == [("苹果", 990, 10, 2, 8, 2), ("香梨", 800, 5, 2, 3, None)]


def test_an_unknown_solitaire_is_404_in_one_statement_after_the_token(world):
    world["customer"].get("/api/v1/solitaires/nothing-here")
    with capture() as captured:
        response = world["customer"].get("/api/v1/solitaires/nothing-here")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert touching(captured, "solitaire_") == [("SELECT", "solitaire_solitaire")]


def test_the_participations_read_the_solitaire_without_counting_them_there(world):
    # given a solitaire in which two customers paid
    solitaire = published_solitaire(world)
    pay(world["customer"], join(world["customer"], solitaire, [(0, 1)]).json())
    pay(world["manager"], join(world["manager"], solitaire, [(1, 1)]).json())
    url = f"/api/v1/solitaires/{solitaire['id']}/participations"
    world["other_staff"].get(url)
    # when
    with capture() as captured:
        response = world["other_staff"].get(url)
    # then the solitaire is read for its visibility, the participations counted once and listed
    assert touching(captured, "") == [
        ("SELECT", "identity_apitoken"),
        ("SELECT", "solitaire_solitaire"),
        ("SELECT", "solitaire_participation"),  # the page's count
        ("SELECT", "solitaire_participation"),
        ("SELECT", "identity_user"),  # the nicknames
    ]
    assert "solitaire_participation" not in captured.captured_queries[1]["sql"]
    body = response.json()
    assert (body["count"], [(p["sequence_no"], p["items"]) for p in body["results"]]) == (
        2,
        [(1, [{"name": "苹果", "quantity": 1}]), (2, [{"name": "香梨", "quantity": 1}])],
    )
