"""The next click (issue 11): what the mini-program's very next request relies on must be there
when the previous request answers, against real processes (a migrated SQLite file, Q_SYNC=0),
not the test suite's inline events.

- With `manage.py serve` (web + qcluster, as `make run`), a merchant who just created a store
  adds goods in the very next request.
- With the web server alone and no qcluster, the same: the owner does not come from the queue.
- The other effects a next request relies on but that today arrive only through the queue
  (after commit): a new store's franchise policy and its creator's merchant account, and the
  stock a cancelled or refunded order gives back. With no qcluster they never arrive, so each
  of these tests shows whether the next request waits for the queue."""

import pytest

from tests.support import live

GOODS = {"name": "苹果", "price_fen": 1200, "stock": 10}
CONTACT = {"name": "王小明", "phone": "13700000000"}


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """One web server with no qcluster for this module's journeys (each its own users and phones)."""
    folder = tmp_path_factory.mktemp("web-only")
    with live.web_only(live.migrated_env(folder), folder) as (_process, api):
        yield api


NEW_GOODS = {
    "name": "苹果",
    "price_fen": 1200,
    "stock": 10,
    "sales": 0,
    "status": "on_sale",
    "category_id": None,
}


def _goods_fields(goods: dict) -> dict:
    return {key: goods[key] for key in ("name", "price_fen", "stock", "sales", "status", "category_id")}


def _listed(answer: tuple) -> tuple:
    status, page = answer
    return status, page["count"], [(store["id"], store["my_role"]) for store in page["results"]]


def test_with_serve_a_new_store_takes_goods_in_the_very_next_request(tmp_path):
    # given the web server and a real qcluster, as `make run` starts them
    with live.serve(live.migrated_env(tmp_path), tmp_path) as (_server, api):
        token = api.login("merchant-a")
        # when a merchant creates a store and, at once, adds goods and lists their stores
        created, store = api.open_store(token, "13800000101", "幸福小店")
        added = api.post(f"/api/v1/stores/{store['id']}/goods", GOODS, token)
        listed = api.get("/api/v1/stores", token)
        # and the cluster is live: the after-commit reactions arrive too
        categories = api.wait_for(
            f"/api/v1/stores/{store['id']}/categories", lambda answer: len(answer[1]) == 5, token
        )
    # then the store was created with its creator as owner, and the goods were taken
    assert (created, store["my_role"]) == (201, "owner")
    assert added[0] == 201, added
    assert _goods_fields(added[1]) == NEW_GOODS
    assert added[1]["store_id"] == store["id"]
    assert _listed(listed) == (200, 1, [(store["id"], "owner")])
    assert (categories[0], len(categories[1])) == (200, 5)


def test_without_a_qcluster_a_new_store_takes_goods_in_the_very_next_request(web):
    # given only the web server: nothing the queue carries is ever handled
    token = web.login("merchant-b")
    # when a merchant creates a store and, at once, adds goods and lists their stores
    created, store = web.open_store(token, "13800000102", "隔壁小店")
    added = web.post(f"/api/v1/stores/{store['id']}/goods", GOODS, token)
    listed = web.get("/api/v1/stores", token)
    staff = web.get(f"/api/v1/stores/{store['id']}/staff", token)
    # then the owner came with the store, not from the queue
    assert (created, store["my_role"]) == (201, "owner")
    assert added[0] == 201, added
    assert _goods_fields(added[1]) == NEW_GOODS
    assert _listed(listed) == (200, 1, [(store["id"], "owner")])
    assert staff[0] == 200 and [member["role"] for member in staff[1]] == ["owner"]
    # and the after-commit reactions really did not run: no default categories yet
    assert web.get(f"/api/v1/stores/{store['id']}/categories", token) == (200, [])


def test_without_a_qcluster_a_new_stores_franchise_policy_answers_the_very_next_request(web):
    # given a merchant who just created a store
    token = web.login("merchant-c")
    created, store = web.open_store(token, "13800000103")
    assert created == 201
    # when the very next request reads (then sets) the store's franchise policy
    policy = web.get(f"/api/v1/stores/{store['id']}/franchise", token)
    body = {"enabled": True, "commission_bps": 500, "billing_cycle": "weekly"}
    changed = web.put(f"/api/v1/stores/{store['id']}/franchise", body, token)
    # then the default policy (disabled) is there, and the owner may change it
    assert policy == (200, {"enabled": False, "commission_bps": 0, "billing_cycle": "monthly"})
    assert changed == (200, body)


def test_without_a_qcluster_a_new_merchant_has_an_account_in_the_very_next_request(web):
    # given a user who just created their first store
    token = web.login("merchant-d")
    created, _store = web.open_store(token, "13800000104")
    assert created == 201
    # when the very next request reads their merchant account
    status, account = web.get("/api/v1/merchant/account", token)
    # then it is there, all zero
    assert status == 200, account
    assert isinstance(account["merchant_id"], str) and account["merchant_id"]
    assert {key: value for key, value in account.items() if key != "merchant_id"} == {
        "pending_fen": 0,
        "available_fen": 0,
        "settled_total_fen": 0,
        "commission_total_fen": 0,
    }


def _remaining(api: live.Client, token: str, solitaire: dict) -> int:
    status, fresh = api.get(f"/api/v1/solitaires/{solitaire['id']}", token)
    assert status == 200, fresh
    return fresh["items"][0]["remaining"]


def test_without_a_qcluster_the_stock_of_a_cancelled_order_takes_the_very_next_join(web):
    # given a solitaire with one unit left, held by a customer's unpaid order
    merchant = web.login("merchant-e")
    _created, store = web.open_store(merchant, "13800000105")
    solitaire = web.published_solitaire(merchant, store["id"], GOODS, stock=1)
    customer = web.login("customer-e")
    joined, order = web.join(customer, solitaire, CONTACT)
    assert joined == 201, order
    # when the customer cancels it and, at once, joins again
    cancelled = web.post(f"/api/v1/orders/{order['id']}/cancel", token=customer)
    rejoined = web.join(customer, solitaire, CONTACT)
    # then the cancel gave the unit back (API.md: "stock released"), and the new join took it
    assert (cancelled[0], cancelled[1]["status"]) == (200, "cancelled")
    assert rejoined[0] == 201, rejoined
    assert rejoined[1]["status"] == "pending_payment"
    assert _remaining(web, customer, solitaire) == 0


def test_without_a_qcluster_the_stock_of_a_refunded_order_takes_the_very_next_join(web):
    # given a solitaire whose only unit a customer bought and paid for
    merchant = web.login("merchant-f")
    _created, store = web.open_store(merchant, "13800000106")
    solitaire = web.published_solitaire(merchant, store["id"], GOODS, stock=1)
    customer = web.login("customer-f")
    _joined, order = web.join(customer, solitaire, CONTACT)
    status, payment = web.post(f"/api/v1/orders/{order['id']}/pay", token=customer)
    assert status == 200, payment
    status, paid = web.post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed", token=customer)
    assert (status, paid["status"]) == (200, "paid"), paid
    # when the customer has it refunded and, at once, another customer joins
    refunded = web.post(f"/api/v1/orders/{order['id']}/refund", {"reason": "买错了"}, customer)
    other = web.login("customer-f2")
    joined = web.join(other, solitaire, CONTACT)
    # then the refund gave the unit back (API.md: "stock released"), and the new join took it
    assert (refunded[0], refunded[1]["status"]) == (200, "refunded")
    assert joined[0] == 201, joined
    assert _remaining(web, other, solitaire) == 0


def test_without_a_qcluster_the_stock_of_a_cancelled_goods_order_takes_the_very_next_order(web):
    # given goods with one unit, held by a customer's unpaid order outside any solitaire
    merchant = web.login("merchant-g")
    _created, store = web.open_store(merchant, "13800000107")
    status, goods = web.post(f"/api/v1/stores/{store['id']}/goods", {**GOODS, "stock": 1}, merchant)
    assert status == 201, goods
    point = web.get(f"/api/v1/stores/{store['id']}/pickup-points", merchant)[1][0]
    body = {
        "store_id": store["id"],
        "lines": [{"goods_id": goods["id"], "quantity": 1}],
        "pickup": {"method": "pickup", "pickup_point_id": point["id"]},
        "contact": CONTACT,
    }
    customer = web.login("customer-g")
    placed, order = web.post("/api/v1/orders", body, customer)
    assert placed == 201, order
    # when the customer cancels it and, at once, orders again
    cancelled = web.post(f"/api/v1/orders/{order['id']}/cancel", token=customer)
    again = web.post("/api/v1/orders", body, customer)
    # then the cancel gave the unit back (API.md: "stock released"), and the new order took it
    assert (cancelled[0], cancelled[1]["status"]) == (200, "cancelled")
    assert again[0] == 201, again
    assert web.get(f"/api/v1/goods/{goods['id']}", customer)[1]["stock"] == 0
