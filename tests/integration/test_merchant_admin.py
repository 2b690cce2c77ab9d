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
    assert list(listed.context["cl"].result_list) == [row]
    page = listed.content.decode()
    assert 'field-account_pending_fen"><span class="money">¥12.34</span><' in page
    assert 'field-account_available_fen"><span class="money">¥5.67</span><' in page
    assert list(found.context["cl"].result_list) == [row]
    assert list(missed.context["cl"].result_list) == []


def test_the_merchant_page_shows_its_account_and_stores(admin_client, merchant):
    row, store = merchant
    response = admin_client.get(f"/admin/merchant_account/merchant/{row.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert store in page
    assert "¥12.34" in page and "¥5.67" in page


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


@pytest.fixture
def settled():
    """A brand with a resale order settled (its commission paid) and a pending order."""
    from datetime import timedelta

    from contexts.merchant_account.models import Settlement
    from tests.support.money import T0, complete_order, open_merchant, resale_through

    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="daily")
    resold = complete_order(store_id=brand.store_id, total_fen=10000, completed_at=T0, resale=resale)
    bootstrap.settle_orders(as_of=T0 + timedelta(hours=1))
    bootstrap.settle_commissions(as_of=T0 + timedelta(days=1))
    pending = complete_order(store_id=brand.store_id, total_fen=700, completed_at=T0 + timedelta(hours=2))
    return {
        "brand": brand,
        "resold": resold,
        "pending": pending,
        "orders": Settlement.objects.get(kind="orders"),
        "commissions": Settlement.objects.get(kind="commissions"),
    }


ENTRIES = "/admin/merchant_account/ledgerentry/"
SETTLEMENTS = "/admin/merchant_account/settlement/"
REVENUE = "/admin/merchant_account/orderrevenue/"


def listed(admin_client, url, **params) -> list:
    response = admin_client.get(url, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_entries_filter_by_kind_and_balance_and_find_an_order(admin_client, settled):
    resold, pending = settled["resold"].order_no, settled["pending"].order_no
    assert len(listed(admin_client, ENTRIES)) == 7
    assert [e.amount_fen for e in listed(admin_client, ENTRIES, kind="platform_fee")] == [-60]
    assert sorted(e.kind for e in listed(admin_client, ENTRIES, balance="pending")) == [
        "order_completed",
        "order_completed",
        "order_settled",
    ]
    assert {e.order_no for e in listed(admin_client, ENTRIES, q=resold)} == {resold}
    assert [e.amount_fen for e in listed(admin_client, ENTRIES, q=pending)] == [700]
    merchant = settled["brand"].merchant_id
    assert len(listed(admin_client, ENTRIES, q=merchant)) == 6


def test_a_settlement_page_shows_the_orders_it_settled(admin_client, settled):
    resold = settled["resold"].order_no
    orders = admin_client.get(f"{SETTLEMENTS}{settled['orders'].pk}/change/")
    commissions = admin_client.get(f"{SETTLEMENTS}{settled['commissions'].pk}/change/")
    assert orders.status_code == commissions.status_code == 200
    assert resold in orders.content.decode() and "本次结算的订单" in orders.content.decode()
    assert resold in commissions.content.decode()
    assert "本次支付佣金的订单" in commissions.content.decode()
    assert [s.kind for s in listed(admin_client, SETTLEMENTS, kind="commissions")] == ["commissions"]
    assert listed(admin_client, SETTLEMENTS, q=resold) == [settled["orders"]]


def test_the_revenue_rows_list_and_filter_the_unsettled(admin_client, settled):
    assert len(listed(admin_client, REVENUE)) == 2
    unsettled = listed(admin_client, REVENUE, settlement__isempty="1")
    assert [r.order_no for r in unsettled] == [settled["pending"].order_no]
    assert admin_client.get(f"{REVENUE}{settled['resold'].order_id}/change/").status_code == 200


def test_the_ledger_is_read_only_in_the_admin(admin_client, settled):
    from tests.support.money import money_rows

    before = money_rows()
    entry = settled["orders"].entries.first()
    for url in (ENTRIES, SETTLEMENTS, REVENUE):
        assert admin_client.get(f"{url}add/").status_code == 403
    assert admin_client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        admin_client.post(f"{SETTLEMENTS}{settled['orders'].pk}/delete/", {"post": "yes"}).status_code == 403
    )
    changed = admin_client.post(f"{ENTRIES}{entry.pk}/change/", {"amount_fen": 1})
    assert changed.status_code == 403
    assert money_rows() == before


def test_the_dry_run_button_shows_what_would_be_settled_and_writes_nothing(admin_client, settled):
    from tests.support.money import money_rows

    # given
    before = money_rows()
    page = admin_client.get(SETTLEMENTS)
    assert 'id="dry-run-settlement"' in page.content.decode()
    # when
    response = admin_client.post(f"{SETTLEMENTS}dry-run/", follow=True)
    # then
    orders, commissions = [str(m) for m in response.context["messages"]]
    assert orders.startswith("结算预演 — 订单结算（截至 ")
    assert orders.endswith("）：1 单，总额 ¥7.00，平台服务费 ¥0.04，佣金 ¥0.00，净额 ¥6.96。未写入任何数据。")
    assert commissions.startswith("结算预演 — 佣金发放（截至 ")
    assert commissions.endswith(
        "）：0 单，总额 ¥0.00，平台服务费 ¥0.00，佣金 ¥0.00，净额 ¥0.00。未写入任何数据。"
    )
    assert money_rows() == before
    assert admin_client.get(f"{SETTLEMENTS}dry-run/").status_code == 405
