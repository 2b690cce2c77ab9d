"""The operators' admin of merchants, accounts and merchant stores: lists, search, detail."""

import uuid

import pytest
from django.utils import timezone

from contexts.merchant_account import bootstrap
from contexts.merchant_account.models import Merchant, MerchantAccount, MerchantStore

pytestmark = pytest.mark.django_db


@pytest.fixture
def merchant():
    owner, store = str(uuid.uuid4()), str(uuid.uuid4())
    opened = bootstrap.open_merchant_for_store(store_id=store, owner_id=owner)
    MerchantAccount.objects.filter(merchant_id=opened.merchant_id).update(pending_fen=1234, available_fen=567)
    return Merchant.objects.get(pk=opened.merchant_id), store


def test_the_merchant_list_shows_balances_and_finds_a_merchant_by_store(admin_client, merchant):
    # given
    row, store = merchant
    # when
    listed = admin_client.get("/admin/merchant_account/merchant/")
    found = admin_client.get("/admin/merchant_account/merchant/", {"q": store})
    missed = admin_client.get("/admin/merchant_account/merchant/", {"q": str(uuid.uuid4())})
    # then
    assert listed.status_code == 200
    assert row.user_id in listed.content.decode()
    page = listed.content.decode()
    assert 'field-account_pending_fen">1234<' in page
    assert 'field-account_available_fen">567<' in page
    assert list(found.context["cl"].result_list) == [row]
    assert list(missed.context["cl"].result_list) == []


def test_the_merchant_page_shows_its_account_and_stores(admin_client, merchant):
    row, store = merchant
    response = admin_client.get(f"/admin/merchant_account/merchant/{row.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert store in page
    assert "1234" in page and "567" in page


def test_a_merchant_without_an_account_still_lists(admin_client):
    # given a merchant whose account row is missing (an operator's repair in progress)
    Merchant.objects.create(id=str(uuid.uuid4()), user_id=str(uuid.uuid4()), created_at=timezone.now())
    # when
    response = admin_client.get("/admin/merchant_account/merchant/")
    # then
    assert response.status_code == 200


def test_the_account_and_store_lists_search_by_merchant(admin_client, merchant):
    row, store = merchant
    accounts = admin_client.get("/admin/merchant_account/merchantaccount/", {"q": row.user_id})
    stores = admin_client.get("/admin/merchant_account/merchantstore/", {"q": store})
    assert [a.merchant_id for a in accounts.context["cl"].result_list] == [row.pk]
    assert [s.store_id for s in stores.context["cl"].result_list] == [store]


def test_operators_cannot_add_or_delete_merchants(admin_client, merchant):
    row, _store = merchant
    assert admin_client.get("/admin/merchant_account/merchant/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/merchant_account/merchant/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert admin_client.get("/admin/merchant_account/merchantaccount/add/").status_code == 403
    assert admin_client.get("/admin/merchant_account/merchantstore/add/").status_code == 403
    assert (Merchant.objects.count(), MerchantAccount.objects.count(), MerchantStore.objects.count()) == (
        1,
        1,
        1,
    )
