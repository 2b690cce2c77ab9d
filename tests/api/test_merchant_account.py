"""GET /merchant/account: the store creator's balances (API.md "Merchant account and settlement")."""

import pytest

from contexts.merchant_account.models import Merchant, MerchantAccount, MerchantStore
from tests.support.api import open_store

pytestmark = pytest.mark.django_db

URL = "/api/v1/merchant/account"


def test_a_store_creator_sees_an_all_zero_account(user_client):
    # given
    client, user = user_client("alice")
    open_store(client, "13800000001")
    merchant = Merchant.objects.get(user_id=user["id"])
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "merchant_id": merchant.pk,
        "pending_fen": 0,
        "available_fen": 0,
        "settled_total_fen": 0,
        "commission_total_fen": 0,
    }


def test_a_second_store_keeps_the_same_merchant_and_account(user_client):
    # given
    client, user = user_client("alice")
    first = open_store(client, "13800000001", "First shop")
    merchant_id = client.get(URL).json()["merchant_id"]
    # when
    second = open_store(client, "13800000002", "Second shop")
    # then
    assert client.get(URL).json()["merchant_id"] == merchant_id
    assert Merchant.objects.count() == 1
    assert MerchantAccount.objects.count() == 1
    assert sorted(
        MerchantStore.objects.filter(merchant_id=merchant_id).values_list("store_id", flat=True)
    ) == sorted([first["id"], second["id"]])


def test_each_creator_sees_only_their_own_account(user_client):
    # given
    alice, _ = user_client("alice")
    bob, _ = user_client("bob")
    open_store(alice, "13800000001")
    open_store(bob, "13800000002")
    # when
    alice_account = alice.get(URL).json()
    bob_account = bob.get(URL).json()
    # then
    assert alice_account["merchant_id"] != bob_account["merchant_id"]
    assert (
        Merchant.objects.get(pk=alice_account["merchant_id"]).user_id
        != Merchant.objects.get(pk=bob_account["merchant_id"]).user_id
    )


def test_a_customer_without_a_store_gets_404(user_client):
    # given
    client, _ = user_client("carol")
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Merchant.objects.count() == 0


def test_staff_who_did_not_create_the_store_have_no_account(user_client, phone_client):
    # given a clerk of alice's store
    owner, _ = user_client("alice")
    store = open_store(owner, "13800000001")
    clerk, _ = phone_client("dave", "13900000009")
    added = owner.post(
        f"/api/v1/stores/{store['id']}/staff", {"phone": "13900000009", "role": "clerk"}, format="json"
    )
    assert added.status_code == 201, added.content
    # when
    response = clerk.get(URL)
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_anonymous_gets_401(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_gets_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_account_is_read_only(user_client, method):
    # given
    client, _ = user_client("alice")
    open_store(client, "13800000001")
    before = list(MerchantAccount.objects.values())
    # when
    response = getattr(client, method)(URL, {"available_fen": 100}, format="json")
    # then
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert list(MerchantAccount.objects.values()) == before
