"""GET and PUT /stores/{id}/franchise: a brand store's revenue-share policy (API.md "Franchise")."""

import pytest

from contexts.affiliate.models import FranchisePolicy
from tests.support.api import open_store

pytestmark = pytest.mark.django_db

DEFAULT = {"enabled": False, "commission_bps": 0, "billing_cycle": "monthly"}
NEW_POLICY = {"enabled": True, "commission_bps": 1500, "billing_cycle": "weekly"}
MISSING_STORE = "00000000-0000-4000-8000-000000000000"


def url(store_id: str) -> str:
    return f"/api/v1/stores/{store_id}/franchise"


def stored(store_id: str) -> dict:
    return dict(
        FranchisePolicy.objects.filter(store_id=store_id)
        .values("enabled", "commission_bps", "billing_cycle")
        .get()
    )


@pytest.fixture
def brand(user_client, phone_client, api_client):
    """Alice's brand store with a manager and a clerk; Bob owns another store; Carol is a
    customer; plus an anonymous client."""
    owner, _ = user_client("alice")
    store_id = open_store(owner, "13800000001", "Brand shop")["id"]
    clients = {"owner": owner}
    for name, role, phone in [("mia", "manager", "13900000001"), ("cole", "clerk", "13900000002")]:
        client, _ = phone_client(name, phone)
        added = owner.post(f"/api/v1/stores/{store_id}/staff", {"phone": phone, "role": role}, format="json")
        assert added.status_code == 201, added.content
        clients[role] = client
    clients["other_store_owner"], _ = user_client("bob")
    open_store(clients["other_store_owner"], "13800000002", "Other shop")
    clients["customer"], _ = user_client("carol")
    clients["anonymous"] = type(api_client)()
    return store_id, clients


def test_a_new_store_has_the_default_policy(brand):
    # given
    store_id, clients = brand
    # when
    response = clients["owner"].get(url(store_id))
    # then
    assert response.status_code == 200
    assert response.json() == DEFAULT


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_every_staff_role_reads_the_policy(brand, who):
    store_id, clients = brand
    response = clients[who].get(url(store_id))
    assert response.status_code == 200
    assert response.json() == DEFAULT


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("other_store_owner", 403, "permission_denied"),
        ("customer", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_outsiders_cannot_read_the_policy(brand, who, status, code):
    store_id, clients = brand
    response = clients[who].get(url(store_id))
    assert response.status_code == status
    assert response.json()["code"] == code
    assert "commission_bps" not in response.json()


def test_the_owner_changes_the_policy_and_reads_it_back(brand):
    # given
    store_id, clients = brand
    # when
    response = clients["owner"].put(url(store_id), NEW_POLICY, format="json")
    # then
    assert response.status_code == 200
    assert response.json() == NEW_POLICY
    assert clients["clerk"].get(url(store_id)).json() == NEW_POLICY
    assert stored(store_id) == NEW_POLICY


@pytest.mark.parametrize("bps", [0, 5000])
def test_the_rate_bounds_are_accepted(brand, bps):
    store_id, clients = brand
    response = clients["owner"].put(url(store_id), {**NEW_POLICY, "commission_bps": bps}, format="json")
    assert response.status_code == 200
    assert stored(store_id) == {**NEW_POLICY, "commission_bps": bps}


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
def test_only_the_owner_changes_the_policy(brand, who, status, code):
    # given
    store_id, clients = brand
    # when
    response = clients[who].put(url(store_id), NEW_POLICY, format="json")
    # then
    assert response.status_code == status
    assert response.json()["code"] == code
    assert stored(store_id) == DEFAULT


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_POLICY, "commission_bps": 5001}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": -1}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": 12.5}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": 12.0}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": "10"}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": True}, "commission_bps"),
        ({**NEW_POLICY, "commission_bps": None}, "commission_bps"),
        ({**NEW_POLICY, "enabled": "true"}, "enabled"),
        ({**NEW_POLICY, "enabled": 1}, "enabled"),
        ({**NEW_POLICY, "enabled": None}, "enabled"),
        ({**NEW_POLICY, "billing_cycle": "yearly"}, "billing_cycle"),
        ({**NEW_POLICY, "billing_cycle": "Monthly"}, "billing_cycle"),
        ({**NEW_POLICY, "billing_cycle": 1}, "billing_cycle"),
        ({"commission_bps": 100, "billing_cycle": "daily"}, "enabled"),
        ({"enabled": True, "billing_cycle": "daily"}, "commission_bps"),
        ({"enabled": True, "commission_bps": 100}, "billing_cycle"),
    ],
)
def test_a_bad_policy_is_400_and_changes_nothing(brand, body, field):
    # given
    store_id, clients = brand
    # when
    response = clients["owner"].put(url(store_id), body, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == [field]
    assert stored(store_id) == DEFAULT


@pytest.mark.parametrize("raw", ["[]", '"monthly"', "not json"])
def test_a_body_that_is_not_an_object_is_400(brand, raw):
    store_id, clients = brand
    response = clients["owner"].put(url(store_id), raw, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert stored(store_id) == DEFAULT


def test_a_missing_store_is_404(brand):
    # given
    _store_id, clients = brand
    # when
    read = clients["owner"].get(url(MISSING_STORE))
    write = clients["owner"].put(url(MISSING_STORE), NEW_POLICY, format="json")
    # then
    assert (read.status_code, read.json()["code"]) == (404, "not_found")
    assert (write.status_code, write.json()["code"]) == (404, "not_found")
    assert not FranchisePolicy.objects.filter(store_id=MISSING_STORE).exists()


def test_patch_is_not_allowed(brand):
    store_id, clients = brand
    response = clients["owner"].patch(url(store_id), {"enabled": True}, format="json")
    assert response.status_code == 405
    assert stored(store_id) == DEFAULT
