"""The store endpoints: POST/GET /stores, GET/PATCH /stores/{id}, pickup points."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.shared.models import OutboxEvent
from contexts.staff.models import StoreMember
from contexts.store.models import PickupPoint, Store
from tests.api.test_stores_support import ADDRESS, build_world, open_store, send_code

pytestmark = pytest.mark.django_db

FULL_ADDRESS = {**ADDRESS, "latitude": None, "longitude": None}
DEFAULT_DOOR = "https://static.groupbuy.example/door/default.png"
OWNER_AND_MANAGER = [
    ("owner", 200),
    ("manager", 200),
    ("clerk", 403),
    ("other_owner", 403),
    ("customer", 403),
]


@pytest.fixture
def world(phone_client, user_client, sandbox_code, api_client):
    return build_world(phone_client, user_client, sandbox_code, api_client)


def client_of(world, who):
    return world.anonymous if who == "anonymous" else world.people[who].client


def snapshot() -> tuple:
    return (
        list(Store.objects.order_by("id").values()),
        list(PickupPoint.objects.order_by("id").values()),
        list(StoreMember.objects.order_by("id").values()),
    )


def test_creating_a_store_makes_the_caller_owner_with_default_point_and_door_image(
    phone_client, sandbox_code, settings
):
    # given
    client, user = phone_client("olive", "13800000001")
    send_code(client, "13900000009")
    body = {
        "name": "街角小店",
        "phone": "13900000009",
        "sms_code": sandbox_code("13900000009"),
        "address": {**ADDRESS, "latitude": 22.54, "longitude": 113.95},
        "description": "新鲜水果",
    }
    # when
    response = client.post("/api/v1/stores", body, format="json")
    # then: the response is the store as created, and the caller is its owner by definition
    assert response.status_code == 201
    created = response.json()
    store_id = created["id"]
    row = Store.objects.get()
    assert created == {
        "id": row.pk,
        "name": "街角小店",
        "phone": "13900000009",
        "address": {**ADDRESS, "latitude": 22.54, "longitude": 113.95},
        "description": "新鲜水果",
        "door_image_url": "",
        "status": "active",
        "created_at": created["created_at"],
        "my_role": "owner",
    }
    assert created["created_at"].endswith("+08:00")
    # and within the same request cycle the events did their work
    assert list(StoreMember.objects.values_list("store_id", "user_id", "role")) == [
        (store_id, user["id"], "owner")
    ]
    assert row.door_image_url == settings.DEFAULT_DOOR_IMAGE_URL
    points = client.get(f"/api/v1/stores/{store_id}/pickup-points").json()
    assert points == [
        {
            "id": points[0]["id"],
            "name": "街角小店",
            "address": {**ADDRESS, "latitude": 22.54, "longitude": 113.95},
            "is_default": True,
        }
    ]
    detail = client.get(f"/api/v1/stores/{store_id}").json()
    assert (detail["door_image_url"], detail["my_role"], detail["phone"]) == (
        DEFAULT_DOOR,
        "owner",
        "13900000009",
    )
    assert OutboxEvent.objects.get(event_type="StoreCreated").payload == {
        "store_id": store_id,
        "owner_id": user["id"],
        "name": "街角小店",
        "phone": "13900000009",
        "door_image_url": "",
        "created_at": created["created_at"],
    }


def test_missing_fields_are_invalid_and_create_nothing(phone_client):
    # given
    client, _user = phone_client("olive", "13800000001")
    # when
    response = client.post("/api/v1/stores", {}, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"name", "phone", "sms_code", "address"}
    assert snapshot() == ([], [], [])


@pytest.mark.parametrize(
    ("change", "status", "code", "fields"),
    [
        ({"phone": "12345678901"}, 400, "invalid_phone", None),
        ({"sms_code": "000000"}, 400, "invalid_sms_code", None),
        ({"name": ""}, 400, "invalid", {"name"}),
        ({"address": {**ADDRESS, "city": ""}}, 400, "invalid", {"address.city"}),
        ({"address": {**ADDRESS, "latitude": 120}}, 400, "invalid", {"address.latitude"}),
        ({"door_image_url": "not a url"}, 400, "invalid", {"door_image_url"}),
        # JSON numbers are not text, whatever a text field would make of them
        ({"name": 5}, 400, "invalid", {"name"}),
        ({"phone": 13800000001}, 400, "invalid", {"phone"}),
        ({"sms_code": 123456}, 400, "invalid", {"sms_code"}),
        ({"description": 5}, 400, "invalid", {"description"}),
        ({"address": {**ADDRESS, "city": 5}}, 400, "invalid", {"address.city"}),
    ],
)
def test_bad_store_input_is_refused_and_creates_nothing(
    phone_client, sandbox_code, change, status, code, fields
):
    # given
    client, _user = phone_client("olive", "13800000001")
    send_code(client, "13800000001")
    good_code = sandbox_code("13800000001")
    if change.get("sms_code") == good_code:
        change = {"sms_code": str((int(good_code) + 1) % 1_000_000).zfill(6)}
    body = {"name": "街角小店", "phone": "13800000001", "sms_code": good_code, "address": ADDRESS, **change}
    # when
    response = client.post("/api/v1/stores", body, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert set(response.json().get("fields") or {}) == (fields or set())
    assert snapshot() == ([], [], [])
    assert not OutboxEvent.objects.filter(event_type="StoreCreated").exists()


def test_an_sms_code_serves_one_store_only(phone_client, sandbox_code):
    # given
    client, _user = phone_client("olive", "13800000001")
    send_code(client, "13800000001")
    body = {
        "name": "一号店",
        "phone": "13800000001",
        "sms_code": sandbox_code("13800000001"),
        "address": ADDRESS,
    }
    assert client.post("/api/v1/stores", body, format="json").status_code == 201
    # when
    again = client.post("/api/v1/stores", {**body, "name": "二号店"}, format="json")
    # then
    assert (again.status_code, again.json()["code"]) == (400, "invalid_sms_code")
    assert list(Store.objects.values_list("name", flat=True)) == ["一号店"]


def test_get_stores_lists_where_the_caller_is_staff_with_the_role(world):
    # when
    owner_page = world.people["owner"].client.get("/api/v1/stores").json()
    clerk_page = world.people["clerk"].client.get("/api/v1/stores").json()
    customer_page = world.people["customer"].client.get("/api/v1/stores").json()
    # then
    assert owner_page == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{**world.store, "door_image_url": DEFAULT_DOOR}],
    }
    assert [(s["id"], s["my_role"], s["phone"]) for s in clerk_page["results"]] == [
        (world.store["id"], "clerk", "13800000001")
    ]
    assert customer_page == {"count": 0, "next": None, "previous": None, "results": []}
    assert world.anonymous.get("/api/v1/stores").status_code == 401


def test_get_stores_query_count_does_not_grow_with_the_number_of_stores(phone_client, sandbox_code):
    # given
    client, _user = phone_client("olive", "13800000001")
    open_store(client, sandbox_code, phone="13900000000", name="店 0")

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/stores")
        return len(queries), response.json()["count"]

    one_store, count_one = count_queries()
    for n in range(1, 5):
        open_store(client, sandbox_code, phone=f"1390000000{n}", name=f"店 {n}")
    # when
    five_stores, count_five = count_queries()
    # then
    assert (count_one, count_five) == (1, 5)
    assert five_stores == one_store


def test_non_staff_see_a_store_with_the_phone_masked_and_no_role(world):
    # when
    seen = world.people["customer"].client.get(f"/api/v1/stores/{world.store['id']}").json()
    by_manager = world.people["manager"].client.get(f"/api/v1/stores/{world.store['id']}").json()
    # then
    assert seen == {**world.store, "phone": "138****0001", "my_role": None, "door_image_url": DEFAULT_DOOR}
    assert by_manager == {**world.store, "my_role": "manager", "door_image_url": DEFAULT_DOOR}
    assert world.anonymous.get(f"/api/v1/stores/{world.store['id']}").status_code == 401


def test_an_unknown_store_is_not_found_everywhere(world):
    # given
    client = world.people["owner"].client
    # then
    for response in (
        client.get("/api/v1/stores/no-such-store"),
        client.patch("/api/v1/stores/no-such-store", {"name": "x"}, format="json"),
        client.get("/api/v1/stores/no-such-store/pickup-points"),
        client.post(
            "/api/v1/stores/no-such-store/pickup-points", {"name": "x", "address": ADDRESS}, format="json"
        ),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(("who", "status"), [*OWNER_AND_MANAGER, ("anonymous", 401)])
def test_patch_store_permission_matrix(world, who, status):
    # given
    before = snapshot()
    # when
    response = client_of(world, who).patch(
        f"/api/v1/stores/{world.store['id']}", {"name": "新名字", "description": "改过"}, format="json"
    )
    # then
    assert response.status_code == status
    if status == 200:
        assert response.json() == {
            **world.store,
            "name": "新名字",
            "description": "改过",
            "door_image_url": DEFAULT_DOOR,
            "my_role": who,
        }
        assert Store.objects.get(pk=world.store["id"]).name == "新名字"
    else:
        assert response.json()["code"] == ("not_authenticated" if status == 401 else "permission_denied")
        assert snapshot() == before


def test_editing_the_address_moves_the_default_pickup_point(world):
    # given
    client = world.people["owner"].client
    moved = {**ADDRESS, "detail": "科技园 2 号", "latitude": 22.5, "longitude": 113.9}
    # when
    response = client.patch(f"/api/v1/stores/{world.store['id']}", {"address": moved}, format="json")
    # then
    assert response.status_code == 200
    assert response.json()["address"] == moved
    [point] = client.get(f"/api/v1/stores/{world.store['id']}/pickup-points").json()
    assert (point["address"], point["is_default"], point["name"]) == (moved, True, "街角小店")


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"address": {"province": "广东省"}},
        {"door_image_url": "nope"},
        {"name": "x" * 65},
        {"name": 5},
        {"description": 5},
        {"address": {**ADDRESS, "detail": 5}},
    ],
)
def test_bad_edits_are_invalid_and_change_nothing(world, body):
    # given
    before = snapshot()
    # when
    response = world.people["owner"].client.patch(f"/api/v1/stores/{world.store['id']}", body, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert {name.split(".")[0] for name in response.json()["fields"]} == set(body)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["owner", "manager", "clerk", "other_owner", "customer"])
def test_every_user_lists_pickup_points_default_first(world, who):
    # given
    world.people["owner"].client.post(
        f"/api/v1/stores/{world.store['id']}/pickup-points",
        {"name": "北门", "address": ADDRESS},
        format="json",
    )
    # when
    response = client_of(world, who).get(f"/api/v1/stores/{world.store['id']}/pickup-points")
    # then
    assert response.status_code == 200
    assert [(p["name"], p["is_default"]) for p in response.json()] == [("街角小店", True), ("北门", False)]


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 201), ("manager", 201), *OWNER_AND_MANAGER[2:], ("anonymous", 401)]
)
def test_post_pickup_point_permission_matrix(world, who, status):
    # given
    before = snapshot()
    body = {"name": "北门", "address": {**ADDRESS, "detail": "北门 8 号"}}
    # when
    response = client_of(world, who).post(
        f"/api/v1/stores/{world.store['id']}/pickup-points", body, format="json"
    )
    # then
    assert response.status_code == status
    if status == 201:
        point = PickupPoint.objects.get(is_default=False)
        assert response.json() == {
            "id": point.pk,
            "name": "北门",
            "address": {**FULL_ADDRESS, "detail": "北门 8 号"},
            "is_default": False,
        }
        assert point.store_id == world.store["id"]
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [{}, {"name": "北门"}, {"name": "", "address": ADDRESS}, {"name": 5, "address": ADDRESS}],
)
def test_bad_pickup_points_are_invalid_and_change_nothing(world, body):
    # given
    before = snapshot()
    # when
    response = world.people["owner"].client.post(
        f"/api/v1/stores/{world.store['id']}/pickup-points", body, format="json"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert snapshot() == before


def test_anonymous_callers_create_nothing(api_client):
    # when
    response = api_client.post(
        "/api/v1/stores",
        {"name": "x", "phone": "13800000001", "sms_code": "1", "address": ADDRESS},
        format="json",
    )
    # then
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    assert snapshot() == ([], [], [])
