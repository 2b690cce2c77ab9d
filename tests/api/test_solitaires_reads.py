"""GET /solitaires/{id}, GET /stores/{id}/solitaires, GET /solitaires?scope=mine and the
participations page: who sees what, and query counts that do not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.test_solitaires_support import (
    WHO,
    build_world,
    create_solitaire,
    join,
    pay,
    published_solitaire,
    solitaire_body,
)


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


@pytest.mark.parametrize("who", WHO)
def test_a_draft_exists_only_for_its_stores_staff(world, who):
    # given
    draft = create_solitaire(world)
    # when
    response = world[who].get(f"/api/v1/solitaires/{draft['id']}")
    # then
    expected = {"owner": 200, "manager": 200, "clerk": 200, "anonymous": 401}.get(who, 404)
    assert response.status_code == expected
    if expected == 200:
        assert response.json() == draft
    else:
        assert "title" not in response.json()


def test_a_published_solitaire_is_visible_to_every_user(world):
    solitaire = published_solitaire(world)
    response = world["customer"].get(f"/api/v1/solitaires/{solitaire['id']}")
    assert response.status_code == 200
    assert response.json() == solitaire


def test_the_participations_of_a_draft_are_hidden_like_the_draft(world):
    draft = create_solitaire(world)
    assert world["customer"].get(f"/api/v1/solitaires/{draft['id']}/participations").status_code == 404
    assert world["clerk"].get(f"/api/v1/solitaires/{draft['id']}/participations").json()["count"] == 0


def test_the_store_list_shows_staff_everything_and_others_the_published(world):
    # given a draft, a published and a closed solitaire
    draft = create_solitaire(world, title="草稿")
    published = published_solitaire(world, title="进行中")
    closed = published_solitaire(world, title="已结束")
    world["owner"].post(f"/api/v1/solitaires/{closed['id']}/close")
    url = f"/api/v1/stores/{world.store['id']}/solitaires"
    # when
    as_clerk = world["clerk"].get(url).json()
    as_customer = world["customer"].get(url).json()
    as_other_staff = world["other_staff"].get(url, {"status": "draft"}).json()
    only_drafts = world["owner"].get(url, {"status": "draft"}).json()
    # then (newest first)
    assert [s["title"] for s in as_clerk["results"]] == ["已结束", "进行中", "草稿"]
    assert as_customer["count"] == 1 and as_customer["results"][0] == {**published, "participant_count": 0}
    assert as_other_staff["count"] == 0
    assert [s["id"] for s in only_drafts["results"]] == [draft["id"]]
    assert world["anonymous"].get(url).status_code == 401
    assert world["customer"].get("/api/v1/stores/nope/solitaires").status_code == 404
    bad = world["owner"].get(url, {"status": "bogus"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")


def test_mine_lists_what_i_operate_and_what_i_paid_for_with_my_relation(world):
    # given the customer paid in one solitaire, and the manager paid in another store's one... of this store
    first = published_solitaire(world, title="第一期")
    second = published_solitaire(world, title="第二期")
    create_solitaire(world, title="草稿")
    pay(world["customer"], join(world["customer"], first, [(0, 1)]).json())
    join(world["customer"], second, [(0, 1)])  # unpaid: no relation
    pay(world["manager"], join(world["manager"], second, [(1, 1)]).json())
    # when
    mine = world["customer"].get("/api/v1/solitaires", {"scope": "mine"}).json()
    managed = world["manager"].get("/api/v1/solitaires", {"scope": "mine"}).json()
    published_only = (
        world["manager"].get("/api/v1/solitaires", {"scope": "mine", "status": "published"}).json()
    )
    elsewhere = world["manager"].get("/api/v1/solitaires", {"scope": "mine", "store_id": "other"}).json()
    strangers = world["other_staff"].get("/api/v1/solitaires", {"scope": "mine"}).json()
    # then
    assert [(s["title"], s["relation"]) for s in mine["results"]] == [("第一期", ["participant"])]
    assert [(s["title"], s["relation"]) for s in managed["results"]] == [
        ("草稿", ["operator"]),
        ("第二期", ["operator", "participant"]),
        ("第一期", ["operator"]),
    ]
    assert [s["title"] for s in published_only["results"]] == ["第二期", "第一期"]
    assert elsewhere["count"] == 0 and strangers["count"] == 0
    assert {key for key in mine["results"][0]} == {*first, "relation"}


def test_the_list_needs_scope_mine(world):
    for params in ({}, {"scope": "all"}, {"scope": "mine", "status": "bogus"}):
        response = world["customer"].get("/api/v1/solitaires", params)
        assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert world["anonymous"].get("/api/v1/solitaires", {"scope": "mine"}).status_code == 401


def _queries(client, url, params=None) -> int:
    client.get(url, params or {})  # the token's "last used" write happens at most once a minute: not counted
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_list_query_counts_do_not_grow_with_the_page(world):
    # given 2 solitaires, each with a participation
    def add(n: int) -> None:
        for _ in range(n):
            solitaire = published_solitaire(world)
            pay(world["customer"], join(world["customer"], solitaire, [(1, 1)]).json())

    add(2)
    store_url = f"/api/v1/stores/{world.store['id']}/solitaires"
    counts_for_2 = [
        _queries(world["owner"], store_url),
        _queries(world["customer"], store_url),
        _queries(world["customer"], "/api/v1/solitaires", {"scope": "mine"}),
        _queries(world["owner"], "/api/v1/solitaires", {"scope": "mine"}),
    ]
    # when 4 more
    add(4)
    counts_for_6 = [
        _queries(world["owner"], store_url),
        _queries(world["customer"], store_url),
        _queries(world["customer"], "/api/v1/solitaires", {"scope": "mine"}),
        _queries(world["owner"], "/api/v1/solitaires", {"scope": "mine"}),
    ]
    # then
    assert counts_for_6 == counts_for_2
    assert world["customer"].get(store_url).json()["count"] == 6


def test_the_participations_query_count_does_not_grow_with_the_page(world, user_client):
    solitaire = published_solitaire(world, items=[{"goods_id": world.goods[1]["id"], "stock": 100}])
    buyers = [user_client(f"buyer{i}", nickname=f"买家{i}")[0] for i in range(6)]
    for buyer in buyers[:2]:
        pay(buyer, join(buyer, solitaire, [(0, 1)]).json())
    url = f"/api/v1/solitaires/{solitaire['id']}/participations"
    with_2 = _queries(world["customer"], url)
    for buyer in buyers[2:]:
        pay(buyer, join(buyer, solitaire, [(0, 1)]).json())
    with_6 = _queries(world["customer"], url)
    assert with_6 == with_2
    page = world["customer"].get(url, {"page_size": 4}).json()
    assert (page["count"], [p["sequence_no"] for p in page["results"]]) == (6, [1, 2, 3, 4])
    assert [p["nickname"] for p in page["results"]] == ["买*", "买*", "买*", "买*"]


def test_mine_query_count_does_not_grow_with_the_number_of_stores(world, user_client):
    # given the customer paid in solitaires of 1 store
    from tests.api.test_solitaires_support import _ok, add_goods, open_store

    def solitaire_of_a_new_store(index: int) -> dict:
        client, _user = user_client(f"brand{index}")
        store = open_store(client, f"1370000000{index}", f"分店{index}")
        goods = add_goods(client, store["id"], "西瓜", 1500)
        point = _ok(client.get(f"/api/v1/stores/{store['id']}/pickup-points"))[0]
        body = {
            **solitaire_body(world),
            "pickup_point_ids": [point["id"]],
            "items": [{"goods_id": goods["id"], "stock": 5}],
        }
        created = _ok(client.post(f"/api/v1/stores/{store['id']}/solitaires", body, format="json"), 201)
        return _ok(client.post(f"/api/v1/solitaires/{created['id']}/publish"))

    pay(world["customer"], join(world["customer"], published_solitaire(world), [(0, 1)]).json())
    one_store = _queries(world["customer"], "/api/v1/solitaires", {"scope": "mine"})
    # when the customer also paid in solitaires of 3 more stores
    for index in range(3):
        pay(world["customer"], join(world["customer"], solitaire_of_a_new_store(index), [(0, 1)]).json())
    four_stores = _queries(world["customer"], "/api/v1/solitaires", {"scope": "mine"})
    # then
    assert four_stores == one_store
    assert world["customer"].get("/api/v1/solitaires", {"scope": "mine"}).json()["count"] == 4
