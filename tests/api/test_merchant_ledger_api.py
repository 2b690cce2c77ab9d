"""GET /merchant/account/entries, /merchant/settlements and /merchant/settlements/{id}: the
merchant's ledger and settlements, its own only, with checked filters and constant queries per
page (API.md "Merchant account and settlement")."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.merchant_account import bootstrap
from contexts.merchant_account.models import LedgerEntry, Settlement
from tests.support.api import open_store
from tests.support.money import T0, Shop, complete_order, resale_through

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/merchant/account/entries"
SETTLEMENTS = "/api/v1/merchant/settlements"
HOUR = timedelta(hours=1)


@pytest.fixture
def brand(user_client):
    """Alice's store, opened through the API (so she is its merchant), with a resale order of
    100.00 (10 % to bob's affiliate store) settled and an order of 5.00 still pending."""
    client, user = user_client("alice")
    store = open_store(client, "13800000001")
    merchant_id = client.get("/api/v1/merchant/account").json()["merchant_id"]
    bob, bob_user = user_client("bob")
    affiliate_store = open_store(bob, "13800000002", "Bob's shop")
    affiliate = Shop(
        store_id=affiliate_store["id"],
        user_id=bob_user["id"],
        merchant_id=bob.get("/api/v1/merchant/account").json()["merchant_id"],
    )
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="daily")
    resold = complete_order(store_id=store["id"], total_fen=10000, completed_at=T0, resale=resale)
    bootstrap.settle_orders(as_of=T0 + HOUR)
    bootstrap.settle_commissions(as_of=T0 + timedelta(days=1))
    pending = complete_order(store_id=store["id"], total_fen=500, completed_at=T0 + 2 * HOUR)
    return {"client": client, "merchant_id": merchant_id, "resold": resold, "pending": pending, "bob": bob}


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_account_shows_the_ledgers_balances(brand):
    assert page(brand["client"], "/api/v1/merchant/account") == {
        "merchant_id": brand["merchant_id"],
        "pending_fen": 500,
        "available_fen": 8940,
        "settled_total_fen": 8940,
        "commission_total_fen": 0,
    }
    assert page(brand["bob"], "/api/v1/merchant/account")["commission_total_fen"] == 1000


def test_the_entries_are_listed_newest_first_with_their_fields(brand):
    # when
    body = page(brand["client"], ENTRIES)
    # then
    resold, pending = brand["resold"].order_no, brand["pending"].order_no
    settlement = Settlement.objects.get(kind="orders")
    assert body["count"] == 6
    assert [(e["kind"], e["balance"], e["amount_fen"], e["order_no"]) for e in body["results"]] == [
        ("order_completed", "pending", 500, pending),
        *sorted(
            [
                ("order_settled", "pending", -10000, resold),
                ("order_settled", "available", 10000, resold),
                ("platform_fee", "available", -60, resold),
                ("commission_withheld", "available", -1000, resold),
            ],
            key=lambda e: -LedgerEntry.objects.get(order_no=e[3], kind=e[0], balance=e[1]).pk,
        ),
        ("order_completed", "pending", 10000, resold),
    ]
    newest = LedgerEntry.objects.get(order_no=pending)
    assert body["results"][0] == {
        "id": str(newest.pk),
        "kind": "order_completed",
        "balance": "pending",
        "amount_fen": 500,
        "order_no": pending,
        "settlement_id": None,
        "created_at": newest.created_at.astimezone(T0.tzinfo).isoformat(),
    }
    assert {e["settlement_id"] for e in body["results"][1:5]} == {settlement.pk}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "platform_fee"}, [("platform_fee", "available", -60)]),
        (
            {"balance": "pending"},
            [
                ("order_completed", "pending", 500),
                ("order_settled", "pending", -10000),
                ("order_completed", "pending", 10000),
            ],
        ),
        ({"kind": "order_settled", "balance": "pending"}, [("order_settled", "pending", -10000)]),
        ({"kind": "commission_earned"}, []),
    ],
)
def test_the_entries_filter_by_kind_and_balance(brand, params, expected):
    body = page(brand["client"], ENTRIES, **params)
    assert [(e["kind"], e["balance"], e["amount_fen"]) for e in body["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"), [({"kind": "refund"}, "kind"), ({"balance": "frozen"}, "balance")]
)
def test_an_unknown_filter_value_is_invalid(brand, params, field):
    response = brand["client"].get(ENTRIES, params)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["fields"])) == ("invalid", [field])


def test_entries_are_paged(brand):
    first = page(brand["client"], ENTRIES, page_size=4)
    second = page(brand["client"], ENTRIES, page_size=4, page=2)
    assert (first["count"], len(first["results"]), len(second["results"])) == (6, 4, 2)
    assert first["next"].endswith("page=2&page_size=4") and second["previous"] is not None
    assert not {e["id"] for e in first["results"]} & {e["id"] for e in second["results"]}


def test_the_settlements_are_listed_newest_first(brand):
    # given a second settlement of alice's
    bootstrap.settle_orders(as_of=T0 + 3 * HOUR)
    # when
    body = page(brand["client"], SETTLEMENTS)
    # then
    newer, older = Settlement.objects.filter(merchant_id=brand["merchant_id"]).order_by("-created_at", "-id")
    assert [s["id"] for s in body["results"]] == [newer.pk, older.pk]
    assert body["results"][1] == {
        "id": older.pk,
        "kind": "orders",
        "period_start": T0.isoformat(),
        "period_end": (T0 + HOUR).isoformat(),
        "order_count": 1,
        "gross_fen": 10000,
        "fee_fen": 60,
        "commission_fen": 1000,
        "net_fen": 8940,
        "created_at": older.created_at.astimezone(T0.tzinfo).isoformat(),
    }
    assert (body["results"][0]["order_count"], body["results"][0]["net_fen"]) == (1, 497)


def test_a_settlement_shows_its_orders(brand):
    # given
    settlement = Settlement.objects.get(kind="orders")
    # when
    body = page(brand["client"], f"{SETTLEMENTS}/{settlement.pk}")
    # then
    assert (body["id"], body["kind"], body["net_fen"]) == (settlement.pk, "orders", 8940)
    assert body["orders"] == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "order_no": brand["resold"].order_no,
                "store_id": brand["resold"].completed.payload["store_id"],
                "completed_at": T0.isoformat(),
                "total_fen": 10000,
                "fee_fen": 60,
                "commission_fen": 1000,
                "net_fen": 8940,
            }
        ],
    }


def test_a_commissions_settlement_shows_the_orders_whose_commission_it_paid(brand):
    settlement = Settlement.objects.get(kind="commissions")
    body = page(brand["bob"], f"{SETTLEMENTS}/{settlement.pk}")
    assert (body["kind"], body["gross_fen"], body["fee_fen"], body["net_fen"]) == (
        "commissions",
        1000,
        0,
        1000,
    )
    assert [
        (o["order_no"], o["total_fen"], o["fee_fen"], o["commission_fen"], o["net_fen"])
        for o in body["orders"]["results"]
    ] == [(brand["resold"].order_no, 10000, 0, 1000, 1000)]


def test_another_merchants_settlement_is_not_found(brand):
    settlement = Settlement.objects.get(kind="orders")
    response = brand["bob"].get(f"{SETTLEMENTS}/{settlement.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    missing = brand["client"].get(f"{SETTLEMENTS}/no-such-settlement")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("url", [ENTRIES, SETTLEMENTS, f"{SETTLEMENTS}/any", "/api/v1/merchant/account"])
def test_a_user_without_a_merchant_gets_404(brand, user_client, url):
    carol, _ = user_client("carol")
    response = carol.get(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize("url", [ENTRIES, SETTLEMENTS, f"{SETTLEMENTS}/any", "/api/v1/merchant/account"])
def test_anonymous_gets_401(api_client, url):
    response = api_client.get(url)
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


@pytest.mark.parametrize("url", [ENTRIES, SETTLEMENTS])
def test_the_ledger_is_read_only(brand, url):
    before = (LedgerEntry.objects.count(), Settlement.objects.count())
    response = brand["client"].post(url, {"kind": "platform_fee", "amount_fen": 1}, format="json")
    assert response.status_code == 405
    assert (LedgerEntry.objects.count(), Settlement.objects.count()) == before


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"page_size": 100}).status_code == 200
    return len(captured)


def test_a_page_costs_the_same_queries_however_many_rows_it_holds(brand):
    # given
    client = brand["client"]
    settlement = Settlement.objects.get(kind="orders")
    few = [
        queries(client, ENTRIES),
        queries(client, SETTLEMENTS),
        queries(client, f"{SETTLEMENTS}/{settlement.pk}"),
    ]
    # when alice has many more entries, settlements and orders in a settlement
    store_id = brand["resold"].completed.payload["store_id"]
    for n in range(12):
        complete_order(store_id=store_id, total_fen=100 + n, completed_at=T0 + 3 * HOUR)
    bootstrap.settle_orders(as_of=T0 + 4 * HOUR)
    bootstrap.settle_orders(as_of=T0 + 5 * HOUR)
    big = Settlement.objects.filter(merchant_id=brand["merchant_id"]).order_by("-order_count").first()
    many = [
        queries(client, ENTRIES),
        queries(client, SETTLEMENTS),
        queries(client, f"{SETTLEMENTS}/{big.pk}"),
    ]
    # then
    assert big.order_count == 13
    assert many == few
