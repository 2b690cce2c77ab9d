"""The people of the goods API tests, and what a new store starts with (defaults by event)."""

from django.utils import timezone

from contexts.goods.domain.defaults import default_categories
from tests.support.api import open_store

WHO = ("owner", "manager", "clerk", "other_staff", "customer", "anonymous")


def build_world(user_client, phone_client, api_client) -> dict:
    """A store with an owner, a manager and a clerk; another store's owner; a customer; nobody."""
    owner, _ = user_client("alice")
    store_id = open_store(owner, "13800000001", "幸福小店")["id"]
    manager, _ = phone_client("mary", "13900000002")
    clerk, _ = phone_client("carl", "13900000003")
    for phone, role in (("13900000002", "manager"), ("13900000003", "clerk")):
        added = owner.post(f"/api/v1/stores/{store_id}/staff", {"phone": phone, "role": role}, format="json")
        assert added.status_code == 201, added.content
    other_staff, _ = user_client("oscar")
    other_store_id = open_store(other_staff, "13800000009", "隔壁小店")["id"]
    customer, _ = user_client("cindy")
    return {
        "store_id": store_id,
        "other_store_id": other_store_id,
        "owner": owner,
        "manager": manager,
        "clerk": clerk,
        "other_staff": other_staff,
        "customer": customer,
        "anonymous": type(api_client)(),
    }


def test_a_new_store_has_the_seasons_categories_and_the_hot_words(user_client, phone_client, api_client):
    # given a store opened through the API (StoreCreated delivered inline)
    world = build_world(user_client, phone_client, api_client)
    expected = [name for name, _sort in default_categories(timezone.now())]
    # when
    categories = world["customer"].get(f"/api/v1/stores/{world['store_id']}/categories")
    hot_words = world["anonymous"].get(f"/api/v1/stores/{world['store_id']}/hot-words")
    customer_words = world["customer"].get(f"/api/v1/stores/{world['store_id']}/hot-words")
    # then
    assert categories.status_code == 200
    assert [(c["name"], c["sort"]) for c in categories.json()] == [(n, i) for i, n in enumerate(expected, 1)]
    assert all(set(c) == {"id", "name", "sort"} for c in categories.json())
    assert hot_words.status_code == 401
    assert customer_words.json() == [{"word": w} for w in ("鸡蛋", "水果", "牛奶", "大米", "纸巾")]
