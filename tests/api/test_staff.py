"""The staff endpoints: GET/POST /stores/{id}/staff, DELETE /stores/{id}/staff/{user_id}."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.staff.models import StoreMember
from tests.api.test_stores_support import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(phone_client, user_client, sandbox_code, api_client):
    return build_world(phone_client, user_client, sandbox_code, api_client)


@pytest.fixture
def newcomer(phone_client):
    """A user with a verified phone and no role anywhere."""
    _client, user = phone_client("nina", "13800000009")
    return user


def client_of(world, who):
    return world.anonymous if who == "anonymous" else world.people[who].client


def members() -> list[tuple[str, str, str]]:
    return sorted(StoreMember.objects.values_list("store_id", "user_id", "role"))


def staff_url(world, user_id: str | None = None) -> str:
    base = f"/api/v1/stores/{world.store['id']}/staff"
    return f"{base}/{user_id}" if user_id else base


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_every_staff_role_lists_the_staff_owner_first(world, who):
    # when
    response = client_of(world, who).get(staff_url(world))
    # then
    assert response.status_code == 200
    listed = response.json()
    assert [(m["user_id"], m["nickname"], m["phone"], m["role"]) for m in listed] == [
        (world.people["owner"].id, "", "13800000001", "owner"),
        (world.people["manager"].id, "", "13800000002", "manager"),
        (world.people["clerk"].id, "", "13800000003", "clerk"),
    ]
    assert all(m["joined_at"].endswith("+08:00") for m in listed)
    assert set(listed[0]) == {"user_id", "nickname", "phone", "role", "joined_at"}


@pytest.mark.parametrize(("who", "status"), [("other_owner", 403), ("customer", 403), ("anonymous", 401)])
def test_outsiders_do_not_see_the_staff(world, who, status):
    # when
    response = client_of(world, who).get(staff_url(world))
    # then
    assert response.status_code == status
    assert response.json()["code"] == ("not_authenticated" if status == 401 else "permission_denied")


def test_nicknames_come_from_identity(world, user_client):
    # given: the clerk logs in again with a nickname
    user_client("cleo", nickname="Cleo")
    # when
    listed = world.people["owner"].client.get(staff_url(world)).json()
    # then
    assert [m["nickname"] for m in listed] == ["", "", "Cleo"]


def test_the_staff_list_query_count_does_not_grow_with_the_staff(world, phone_client):
    # given
    client = world.people["owner"].client

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(staff_url(world))
        return len(queries), len(response.json())

    three_members, listed_three = count_queries()
    for n in range(5, 8):
        phone_client(f"extra{n}", f"1380000001{n}")
        added = client.post(staff_url(world), {"phone": f"1380000001{n}", "role": "clerk"}, format="json")
        assert added.status_code == 201
    # when
    six_members, listed_six = count_queries()
    # then
    assert (listed_three, listed_six) == (3, 6)
    assert six_members == three_members


@pytest.mark.parametrize(
    ("who", "role", "status"),
    [
        ("owner", "manager", 201),
        ("owner", "clerk", 201),
        ("manager", "clerk", 201),
        ("manager", "manager", 403),
        ("clerk", "clerk", 403),
        ("other_owner", "clerk", 403),
        ("customer", "clerk", 403),
        ("anonymous", "clerk", 401),
    ],
)
def test_post_staff_permission_matrix(world, newcomer, who, role, status):
    # given
    before = members()
    # when
    response = client_of(world, who).post(
        staff_url(world), {"phone": "13800000009", "role": role}, format="json"
    )
    # then
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body == {
            "user_id": newcomer["id"],
            "nickname": "",
            "phone": "13800000009",
            "role": role,
            "joined_at": body["joined_at"],
        }
        assert members() == sorted([*before, (world.store["id"], newcomer["id"], role)])
    else:
        assert members() == before


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"phone": "13900000000", "role": "clerk"}, 404, "user_not_found"),
        ({"phone": "1390000", "role": "clerk"}, 400, "invalid_phone"),
        ({"phone": "13800000009", "role": "owner"}, 400, "invalid"),
        ({"phone": "13800000009"}, 400, "invalid"),
        ({"phone": "13800000003", "role": "manager"}, 409, "invalid_state"),
    ],
)
def test_bad_staff_additions_change_nothing(world, newcomer, body, status, code):
    # given
    before = members()
    # when
    response = world.people["owner"].client.post(staff_url(world), body, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert members() == before


def test_a_phone_sent_as_a_number_is_invalid_and_adds_nobody(world, newcomer):
    # given
    before = members()
    # when
    response = world.people["owner"].client.post(
        staff_url(world), {"phone": 13800000009, "role": "clerk"}, format="json"
    )
    # then
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid", ["phone"])
    assert members() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 204),
        ("manager", 403),
        ("clerk", 403),
        ("other_owner", 403),
        ("customer", 403),
        ("anonymous", 401),
    ],
)
def test_delete_staff_permission_matrix(world, who, status):
    # given
    before = members()
    clerk = world.people["clerk"].id
    # when
    response = client_of(world, who).delete(staff_url(world, clerk))
    # then
    assert response.status_code == status
    if status == 204:
        assert members() == [m for m in before if m[1] != clerk]
    else:
        assert members() == before


def test_the_owner_cannot_be_removed_and_an_unknown_member_is_not_found(world):
    # given
    before = members()
    client = world.people["owner"].client
    # when
    owner_removal = client.delete(staff_url(world, world.people["owner"].id))
    unknown = client.delete(staff_url(world, world.people["customer"].id))
    # then
    assert (owner_removal.status_code, owner_removal.json()["code"]) == (409, "invalid_state")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert members() == before


def test_staff_of_an_unknown_store_is_not_found(world):
    # given
    client = world.people["owner"].client
    # then
    for response in (
        client.get("/api/v1/stores/nope/staff"),
        client.post("/api/v1/stores/nope/staff", {"phone": "13800000003", "role": "clerk"}, format="json"),
        client.delete(f"/api/v1/stores/nope/staff/{world.people['clerk'].id}"),
    ):
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_removed_clerk_loses_access_at_once(world):
    # given
    clerk = world.people["clerk"]
    world.people["owner"].client.delete(staff_url(world, clerk.id))
    # when
    response = clerk.client.get(staff_url(world))
    # then
    assert response.status_code == 403
    assert clerk.client.get("/api/v1/stores").json()["count"] == 0
