"""PATCH /stores/{id}/customers/{customer_id}: staff's remark and tags on a store customer."""

import uuid

import pytest
from django.utils import timezone

from contexts.customer import bootstrap as customer_bootstrap
from contexts.customer.models import StoreCustomer
from tests.api.test_orders_world import build_world, paid

pytestmark = pytest.mark.django_db

FIELDS = ("remark", "tags", "order_count", "total_spent_fen", "updated_at")


@pytest.fixture
def world(user_client, phone_client, api_client):
    world = build_world(user_client, phone_client, api_client)
    paid(world, "customer")  # cindy: 2 eggs, 2560 fen
    world["row"] = StoreCustomer.objects.get(store_id=world["store_id"], user_id=world["customer_id"])
    return world


def url(world, customer_id=None, store=None):
    return f"/api/v1/stores/{store or world['store_id']}/customers/{customer_id or world['row'].id}"


def snapshot(world):
    return StoreCustomer.objects.filter(pk=world["row"].pk).values(*FIELDS).get()


def test_the_owner_writes_a_remark_and_tags_and_gets_the_customer(world):
    # when
    response = world["owner"].patch(
        url(world), {"remark": " 只要散养蛋 ", "tags": ["老客", "团长", "老客"]}, format="json"
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("id", "user_id", "remark", "tags", "order_count", "total_spent_fen")} == {
        "id": world["row"].id,
        "user_id": world["customer_id"],
        "remark": "只要散养蛋",
        "tags": ["老客", "团长"],
        "order_count": 1,
        "total_spent_fen": 2560,
    }
    row = snapshot(world)
    assert (row["remark"], row["tags"], row["order_count"]) == ("只要散养蛋", ["老客", "团长"], 1)
    # and the list shows it
    listed = world["owner"].get(f"/api/v1/stores/{world['store_id']}/customers").json()["results"]
    assert (listed[0]["remark"], listed[0]["tags"]) == ("只要散养蛋", ["老客", "团长"])


def test_a_patch_of_tags_alone_keeps_the_remark_and_an_empty_list_clears_them(world):
    world["owner"].patch(url(world), {"remark": "先前", "tags": ["a"]}, format="json")
    response = world["manager"].patch(url(world), {"tags": []}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["remark"], response.json()["tags"]) == ("先前", [])


def test_an_order_paid_after_the_remark_keeps_it(world):
    # given
    world["owner"].patch(url(world), {"remark": "常客"}, format="json")
    # when
    paid(world, "customer")
    # then
    row = snapshot(world)
    assert (row["remark"], row["order_count"], row["total_spent_fen"]) == ("常客", 2, 5120)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("clerk", 403),
        ("other_staff", 403),
        ("customer", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_edit_a_customer(world, who, status):
    # given
    before = snapshot(world)
    # when
    response = world[who].patch(url(world), {"remark": "x"}, format="json")
    # then
    assert response.status_code == status, response.content
    if status == 200:
        assert snapshot(world)["remark"] == "x"
    else:
        assert response.json()["code"] == {403: "permission_denied", 401: "not_authenticated"}[status]
        assert snapshot(world) == before


def test_a_customer_of_another_store_is_not_found(world):
    # given a customer of the other store
    customer_bootstrap.count_paid_order(
        order_id=str(uuid.uuid4()),
        store_id=world["other_store_id"],
        user_id=world["customer_id"],
        total_fen=100,
        paid_at=timezone.now(),
    )
    theirs = StoreCustomer.objects.get(store_id=world["other_store_id"])
    # when the owner of this store edits it through this store
    response = world["owner"].patch(url(world, customer_id=theirs.id), {"remark": "x"}, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert StoreCustomer.objects.get(pk=theirs.pk).remark == ""


def test_an_unknown_customer_or_store_is_not_found(world):
    unknown_customer = world["owner"].patch(
        url(world, customer_id=str(uuid.uuid4())), {"remark": "x"}, format="json"
    )
    unknown_store = world["owner"].patch(url(world, store=str(uuid.uuid4())), {"remark": "x"}, format="json")
    assert (unknown_customer.status_code, unknown_customer.json()["code"]) == (404, "not_found")
    assert (unknown_store.status_code, unknown_store.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"remark": "长" * 201}, "remark"),
        ({"remark": None}, "remark"),
        ({"remark": 5}, "remark"),
        ({"tags": "老客"}, "tags"),
        ({"tags": None}, "tags"),
        ({"tags": ["ok", 3]}, "tags[1]"),
        ({"tags": [{"name": "x"}]}, "tags[0]"),
        ({"tags": [""]}, "tags[0]"),
        ({"tags": ["长" * 21]}, "tags[0]"),
        ({"tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"remark": "fine", "tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"tags": ["   "]}, "tags[0]"),
    ],
)
def test_bad_input_is_400_invalid_with_its_field_and_changes_nothing(world, body, field):
    # given
    before = snapshot(world)
    # when
    response = world["owner"].patch(url(world), body, format="json")
    # then
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert snapshot(world) == before


def test_a_body_that_is_not_an_object_is_400(world):
    before = snapshot(world)
    response = world["owner"].patch(url(world), ["remark"], format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert snapshot(world) == before
