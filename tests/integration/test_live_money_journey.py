"""Issue 12's journey against real processes (`manage.py serve`: web server + a live qcluster on
a migrated SQLite file), the operator's commands run as `manage.py` processes beside it: a brand
enables its franchise, takes an affiliate, publishes a solitaire; the affiliate resells it; a
customer buys 100.00 through the resale, pays and confirms receipt; the ledger follows."""

import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support import live

SHANGHAI = ZoneInfo("Asia/Shanghai")
GOODS = {"name": "阳澄湖大闸蟹", "price_fen": 10000, "stock": 10}
CONTACT = {"name": "王小明", "phone": "13700000000"}


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=live.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def balances(api: live.Client, token: str) -> dict:
    status, account = api.get("/api/v1/merchant/account", token)
    assert status == 200, account
    return {key: value for key, value in account.items() if key != "merchant_id"}


def entries(api: live.Client, token: str) -> list[tuple]:
    status, page = api.get("/api/v1/merchant/account/entries?page_size=100", token)
    assert status == 200, page
    return sorted((e["kind"], e["balance"], e["amount_fen"], e["order_no"]) for e in page["results"])


def test_a_resale_order_is_credited_settled_and_its_commission_paid_once(tmp_path):
    env = live.migrated_env(tmp_path)
    with live.serve(env, tmp_path) as (_server, api):
        # given a brand with its franchise on (10 %, daily) and an affiliate member
        brand = api.login("brand-owner")
        _created, brand_store = api.open_store(brand, "13800000201", "品牌店")
        policy = {"enabled": True, "commission_bps": 1000, "billing_cycle": "daily"}
        assert api.put(f"/api/v1/stores/{brand_store['id']}/franchise", policy, brand) == (200, policy)
        affiliate = api.login("affiliate-owner")
        _created, affiliate_store = api.open_store(affiliate, "13800000202", "帮卖店")
        added = api.post(
            f"/api/v1/stores/{brand_store['id']}/franchise/members",
            {"store_id": affiliate_store["id"]},
            brand,
        )
        assert added[0] == 201, added
        # and a published solitaire of the brand, resold by the affiliate
        solitaire = api.published_solitaire(brand, brand_store["id"], GOODS, stock=5)
        status, resale = api.post(
            f"/api/v1/solitaires/{solitaire['id']}/resales", {"store_id": affiliate_store["id"]}, affiliate
        )
        assert status == 201, resale
        # when a customer buys 100.00 through the resale, pays and confirms receipt
        customer = api.login("customer")
        status, order = api.join(customer, solitaire, CONTACT, resale_id=resale["id"])
        assert (status, order["resale_id"], order["total_fen"]) == (201, resale["id"], 10000), order
        status, payment = api.post(f"/api/v1/orders/{order['id']}/pay", token=customer)
        assert status == 200, payment
        assert api.post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed", token=customer)[0] == 200
        status, completed = api.post(f"/api/v1/orders/{order['id']}/confirm-receipt", token=customer)
        assert (status, completed["status"]) == (200, "completed"), completed
        confirmed_at = time.monotonic()
        # then the live cluster credits the brand's pending balance
        credited = api.wait_for("/api/v1/merchant/account", lambda a: a[1].get("pending_fen") == 10000, brand)
        print(f"pending_fen credited {time.monotonic() - confirmed_at:.3f} s after confirm-receipt")
        assert credited[1]["pending_fen"] == 10000
        # when the operator settles orders, twice
        first = manage(env, "settle_orders")
        after_first = balances(api, brand)
        second = manage(env, "settle_orders")
        # then the brand has 10000 - 60 - 1000 available, and the second run settled nothing
        assert after_first == {
            "pending_fen": 0,
            "available_fen": 8940,
            "settled_total_fen": 8940,
            "commission_total_fen": 0,
        }
        assert balances(api, brand) == after_first
        assert "orders 1" in first and "orders 0" in second, (first, second)
        # when the daily cycle has closed and commissions are settled, twice
        tomorrow = (datetime.now(SHANGHAI) + timedelta(days=1)).replace(
            hour=0, minute=1, second=0, microsecond=0
        )
        manage(env, "settle_commissions", "--as-of", tomorrow.isoformat())
        manage(env, "settle_commissions", "--as-of", tomorrow.isoformat())
        # then the affiliate earned 1000, once, and the books balance
        assert balances(api, affiliate) == {
            "pending_fen": 0,
            "available_fen": 1000,
            "settled_total_fen": 0,
            "commission_total_fen": 1000,
        }
        audit = manage(env, "audit_money")
        # and the entries and settlements endpoints show it all
        order_no = order["order_no"]
        assert entries(api, brand) == sorted(
            [
                ("order_completed", "pending", 10000, order_no),
                ("order_settled", "pending", -10000, order_no),
                ("order_settled", "available", 10000, order_no),
                ("platform_fee", "available", -60, order_no),
                ("commission_withheld", "available", -1000, order_no),
            ]
        )
        assert entries(api, affiliate) == [("commission_earned", "available", 1000, order_no)]
        status, brand_settlements = api.get("/api/v1/merchant/settlements", brand)
        assert status == 200, brand_settlements
        [settlement] = brand_settlements["results"]
        assert {
            k: settlement[k]
            for k in ("kind", "order_count", "gross_fen", "fee_fen", "commission_fen", "net_fen")
        } == {
            "kind": "orders",
            "order_count": 1,
            "gross_fen": 10000,
            "fee_fen": 60,
            "commission_fen": 1000,
            "net_fen": 8940,
        }
        status, detail = api.get(f"/api/v1/merchant/settlements/{settlement['id']}", brand)
        assert status == 200, detail
        assert [
            (o["order_no"], o["total_fen"], o["fee_fen"], o["commission_fen"], o["net_fen"])
            for o in detail["orders"]["results"]
        ] == [(order_no, 10000, 60, 1000, 8940)]
        status, affiliate_settlements = api.get("/api/v1/merchant/settlements", affiliate)
        [paid] = affiliate_settlements["results"]
        assert (paid["kind"], paid["order_count"], paid["net_fen"]) == ("commissions", 1, 1000)
        status, resales = api.get(f"/api/v1/stores/{affiliate_store['id']}/resales", affiliate)
        assert status == 200, resales
        assert [(r["id"], r["order_count"], r["commission_fen"]) for r in resales["results"]] == [
            (resale["id"], 1, 1000)
        ]
    assert "all conserved" in audit, audit
