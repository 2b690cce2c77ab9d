"""The people and things of the ordering API tests: a store with staff, goods and a customer."""

from tests.support.api import open_store

CONTACT = {"name": "张三", "phone": "13800000000"}


def add_goods(client, store_id: str, *, name: str = "土鸡蛋", price_fen: int = 1280, stock: int = 10) -> str:
    body = {"name": name, "price_fen": price_fen, "stock": stock, "image_urls": ["https://img/egg.png"]}
    created = client.post(f"/api/v1/stores/{store_id}/goods", body, format="json")
    assert created.status_code == 201, created.content
    return created.json()["id"]


def build_world(user_client, phone_client, api_client) -> dict:
    """A store (owner, manager, clerk) with two goods; another store's owner; two customers; nobody."""
    owner, _ = user_client("alice")
    store_id = open_store(owner, "13800000001", "幸福小店")["id"]
    manager, _ = phone_client("mary", "13900000002")
    clerk, _ = phone_client("carl", "13900000003")
    for phone, role in (("13900000002", "manager"), ("13900000003", "clerk")):
        added = owner.post(f"/api/v1/stores/{store_id}/staff", {"phone": phone, "role": role}, format="json")
        assert added.status_code == 201, added.content
    other_staff, _ = user_client("oscar")
    other_store_id = open_store(other_staff, "13800000009", "隔壁小店")["id"]
    customer, customer_user = user_client("cindy")
    stranger, _ = user_client("sam")
    point_id = owner.get(f"/api/v1/stores/{store_id}/pickup-points").json()[0]["id"]
    return {
        "store_id": store_id,
        "other_store_id": other_store_id,
        "point_id": point_id,
        "eggs": add_goods(owner, store_id),
        "milk": add_goods(owner, store_id, name="牛奶", price_fen=650, stock=3),
        "owner": owner,
        "manager": manager,
        "clerk": clerk,
        "other_staff": other_staff,
        "customer": customer,
        "customer_id": customer_user["id"],
        "stranger": stranger,
        "anonymous": type(api_client)(),
    }


def order_body(world, *lines, **extra) -> dict:
    return {
        "store_id": world["store_id"],
        "lines": [{"goods_id": goods_id, "quantity": quantity} for goods_id, quantity in lines]
        or [{"goods_id": world["eggs"], "quantity": 2}],
        "pickup": {"method": "pickup", "pickup_point_id": world["point_id"]},
        "contact": CONTACT,
        **extra,
    }


def place(world, who: str = "customer", body: dict | None = None, **headers):
    return world[who].post("/api/v1/orders", body or order_body(world), format="json", **headers)


def placed(world, who: str = "customer", body: dict | None = None) -> dict:
    response = place(world, who, body)
    assert response.status_code == 201, response.content
    return response.json()


def paid(world, who: str = "customer", body: dict | None = None) -> dict:
    """An order paid through the sandbox gateway; the order as its customer sees it."""
    order = placed(world, who, body)
    payment = world[who].post(f"/api/v1/orders/{order['id']}/pay").json()
    response = world[who].post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed")
    assert response.status_code == 200, response.content
    return response.json()
