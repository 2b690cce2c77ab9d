"""GET/POST /stores/{id}/categories and GET /stores/{id}/hot-words."""

import pytest

from contexts.goods.models import Category
from tests.api.test_goods_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def names(store_id: str) -> list[str]:
    return list(Category.objects.filter(store_id=store_id).order_by("sort").values_list("name", flat=True))


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("owner", 201, None),
        ("manager", 201, None),
        ("clerk", 403, "permission_denied"),
        ("other_staff", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_only_owner_and_manager_add_a_category(world, who, status, code):
    # given
    store_id = world["store_id"]
    before = names(store_id)
    # when
    response = world[who].post(f"/api/v1/stores/{store_id}/categories", {"name": "零食"}, format="json")
    # then
    assert response.status_code == status
    if code:
        assert response.json()["code"] == code
        assert names(store_id) == before
    else:
        created = Category.objects.get(store_id=store_id, name="零食")
        assert response.json() == {"id": created.pk, "name": "零食", "sort": 6}
        assert names(store_id) == [*before, "零食"]


def test_a_new_category_is_listed_last(world):
    # given
    store_id = world["store_id"]
    world["owner"].post(f"/api/v1/stores/{store_id}/categories", {"name": "零食"}, format="json")
    # when
    listed = world["customer"].get(f"/api/v1/stores/{store_id}/categories").json()
    # then
    assert [c["sort"] for c in listed] == [1, 2, 3, 4, 5, 6]
    assert listed[-1]["name"] == "零食"


@pytest.mark.parametrize(
    "body",
    [{}, {"name": ""}, {"name": "   "}, {"name": "长" * 31}, {"name": None}, {"name": ["零食"]}, {"name": 5}],
)
def test_a_bad_category_name_is_400_and_changes_nothing(world, body):
    # given
    store_id = world["store_id"]
    before = names(store_id)
    # when
    response = world["owner"].post(f"/api/v1/stores/{store_id}/categories", body, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["name"]
    assert names(store_id) == before


def test_a_duplicate_category_name_is_400_with_the_field(world):
    # given
    store_id = world["store_id"]
    existing = names(store_id)[0]
    # when
    response = world["manager"].post(
        f"/api/v1/stores/{store_id}/categories", {"name": existing}, format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["name"]
    assert names(store_id).count(existing) == 1


def test_the_same_name_in_another_store_is_fine(world):
    # given
    theirs = names(world["other_store_id"])[0]
    # when
    response = world["owner"].post(
        f"/api/v1/stores/{world['store_id']}/categories", {"name": "零食"}, format="json"
    )
    mine = world["other_staff"].post(
        f"/api/v1/stores/{world['other_store_id']}/categories", {"name": "零食"}, format="json"
    )
    # then
    assert (response.status_code, mine.status_code) == (201, 201)
    assert theirs in names(world["store_id"])


@pytest.mark.parametrize("path", ["categories", "hot-words"])
def test_an_unknown_store_is_404(world, path):
    # when
    response = world["customer"].get(f"/api/v1/stores/no-such-store/{path}")
    created = world["owner"].post("/api/v1/stores/no-such-store/categories", {"name": "零食"}, format="json")
    # then
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert (created.status_code, created.json()["code"]) == (404, "not_found")
    assert not Category.objects.filter(store_id="no-such-store").exists()


def test_anonymous_cannot_read_categories(world):
    response = world["anonymous"].get(f"/api/v1/stores/{world['store_id']}/categories")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
