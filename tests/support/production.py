"""A store and a customer made through the API with the sandbox off: logins through the fake
WeChat's jscode2session, the store's phone proven by a code the fake Tencent Cloud SMS
received. Works with DRF's test client and with tests.support.live.Client alike (anything with
post/get taking `format="json"` or JSON bodies)."""

import requests

from tests.support.api import ADDRESS
from tests.support.vendors import Vendors

MERCHANT_PHONE = "13800000001"


def wechat_login(vendors: Vendors, client, openid: str, nickname: str = "") -> dict:
    """Log `client` in as the WeChat user `openid`; the login's user JSON."""
    body = {"code": vendors.wechat.login_code(openid), "nickname": nickname or openid}
    response = client.post("/api/v1/auth/wechat-login", body, format="json")
    assert response.status_code == 200, response.content
    login = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login['token']}")
    return login["user"]


def open_store_by_sms(vendors: Vendors, client, phone: str = MERCHANT_PHONE, name: str = "幸福小店") -> dict:
    sent = client.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, format="json")
    assert sent.status_code == 202, sent.content
    code = vendors.sms.codes_sent_to(phone)[-1]
    body = {"name": name, "phone": phone, "sms_code": code, "address": ADDRESS}
    created = client.post("/api/v1/stores", body, format="json")
    assert created.status_code == 201, created.content
    return created.json()


def production_world(vendors: Vendors, client_class) -> dict:
    """A merchant's store with eggs (12.80 元, 10 in stock) and a customer, all logged in
    through WeChat; the customer allowed every subscribe message."""
    owner, customer = client_class(), client_class()
    owner_user = wechat_login(vendors, owner, "o-merchant-alice", "alice")
    store = open_store_by_sms(vendors, owner)
    goods = {"name": "土鸡蛋", "price_fen": 1280, "stock": 10}
    eggs = owner.post(f"/api/v1/stores/{store['id']}/goods", goods, format="json")
    assert eggs.status_code == 201, eggs.content
    customer_user = wechat_login(vendors, customer, "o-customer-cindy", "cindy")
    vendors.wechat.subscribe("o-customer-cindy", "order_paid", "order_refunded", "order_completed")
    point_id = owner.get(f"/api/v1/stores/{store['id']}/pickup-points").json()[0]["id"]
    return {
        "owner": owner,
        "owner_id": owner_user["id"],
        "customer": customer,
        "customer_id": customer_user["id"],
        "store_id": store["id"],
        "eggs": eggs.json()["id"],
        "point_id": point_id,
    }


def place_order(world: dict, quantity: int = 2) -> dict:
    body = {
        "store_id": world["store_id"],
        "lines": [{"goods_id": world["eggs"], "quantity": quantity}],
        "pickup": {"method": "pickup", "pickup_point_id": world["point_id"]},
        "contact": {"name": "张三", "phone": "13800000000"},
    }
    response = world["customer"].post("/api/v1/orders", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


class HttpClient:
    """The mini-program over real HTTP (a live server), with the test client's calling style."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url
        self._headers: dict = {}

    def credentials(self, HTTP_AUTHORIZATION: str) -> None:  # DRF test client's keyword
        self._headers = {"Authorization": HTTP_AUTHORIZATION}

    def get(self, path: str, params: dict | None = None) -> requests.Response:
        return requests.get(self._base_url + path, params=params, headers=self._headers, timeout=30)

    def post(self, path: str, body: dict | None = None, format: str = "json") -> requests.Response:
        return requests.post(self._base_url + path, json=body, headers=self._headers, timeout=30)
