"""Helpers of the solitaire tests (no tests here): a world of two stores with staff, goods
and pickup points built through the API, and short-hands to create, publish, join and pay."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from tests.support.api import open_store

ADDRESS = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}
CONTACT = {"name": "王小明", "phone": "13700000000"}
WHO = ("owner", "manager", "clerk", "other_staff", "customer", "anonymous")


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def add_goods(client, store_id: str, name: str, price_fen: int) -> dict:
    body = {
        "name": name,
        "price_fen": price_fen,
        "stock": 1000,
        "image_urls": [f"https://img.example/{name}.png"],
    }
    return _ok(client.post(f"/api/v1/stores/{store_id}/goods", body, format="json"), 201)


def add_point(client, store_id: str, name: str) -> dict:
    body = {"name": name, "address": {**ADDRESS, "detail": f"{name} 门口"}}
    return _ok(client.post(f"/api/v1/stores/{store_id}/pickup-points", body, format="json"), 201)


@dataclass
class World:
    clients: dict
    users: dict
    store: dict
    other_store: dict
    goods: list  # two goods of the store: apples 1200, pears 800
    other_goods: dict
    points: list  # the store's default point, then "东门"
    other_point: dict
    extra: dict = field(default_factory=dict)

    def __getitem__(self, who: str):
        return self.clients[who]


def build_world(user_client, phone_client, api_client) -> World:
    owner, owner_user = user_client("olive")
    store = open_store(owner, "13800000001", "幸福小店")
    manager, manager_user = phone_client("mary", "13900000002")
    clerk, clerk_user = phone_client("carl", "13900000003")
    for phone, role in (("13900000002", "manager"), ("13900000003", "clerk")):
        _ok(
            owner.post(f"/api/v1/stores/{store['id']}/staff", {"phone": phone, "role": role}, format="json"),
            201,
        )
    other_staff, other_user = user_client("oscar")
    other_store = open_store(other_staff, "13800000009", "隔壁小店")
    customer, customer_user = user_client("cindy", nickname="Cindy")
    add_point(owner, store["id"], "东门")
    points = _ok(owner.get(f"/api/v1/stores/{store['id']}/pickup-points"))
    return World(
        clients={
            "owner": owner,
            "manager": manager,
            "clerk": clerk,
            "other_staff": other_staff,
            "customer": customer,
            "anonymous": type(api_client)(),
        },
        users={
            "owner": owner_user,
            "manager": manager_user,
            "clerk": clerk_user,
            "other_staff": other_user,
            "customer": customer_user,
        },
        store=store,
        other_store=other_store,
        goods=[add_goods(owner, store["id"], "苹果", 1200), add_goods(owner, store["id"], "香梨", 800)],
        other_goods=add_goods(other_staff, other_store["id"], "别家的菜", 300),
        points=points,
        other_point=_ok(other_staff.get(f"/api/v1/stores/{other_store['id']}/pickup-points"))[0],
    )


def solitaire_body(world: World, **overrides) -> dict:
    now = timezone.now()
    body = {
        "title": "周五水果接龙",
        "description": "新鲜到货",
        "start_at": (now - timedelta(hours=1)).isoformat(),
        "end_at": (now + timedelta(days=1)).isoformat(),
        "pickup_point_ids": [world.points[0]["id"]],
        "items": [
            {"goods_id": world.goods[0]["id"], "stock": 10, "price_fen": 990, "per_customer_limit": 2},
            {"goods_id": world.goods[1]["id"], "stock": 5},
        ],
    }
    body.update(overrides)
    return body


def create_solitaire(world: World, who: str = "owner", **overrides) -> dict:
    response = world[who].post(
        f"/api/v1/stores/{world.store['id']}/solitaires", solitaire_body(world, **overrides), format="json"
    )
    return _ok(response, 201)


def publish(world: World, solitaire: dict) -> dict:
    return _ok(world["owner"].post(f"/api/v1/solitaires/{solitaire['id']}/publish"))


def published_solitaire(world: World, **overrides) -> dict:
    return publish(world, create_solitaire(world, **overrides))


def join(
    client, solitaire: dict, lines: list[tuple[int, int]] | list[tuple[str, int]], *, key=None, point=None
):
    """POST /orders for a solitaire; lines as (item index or item id, quantity)."""
    items = solitaire["items"]
    body = {
        "solitaire_id": solitaire["id"],
        "lines": [
            {"solitaire_item_id": items[i]["id"] if isinstance(i, int) else i, "quantity": q}
            for i, q in lines
        ],
        "pickup": {"method": "pickup", "pickup_point_id": point or solitaire["pickup_points"][0]["id"]},
        "contact": CONTACT,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/orders", body, format="json", **headers)


def pay(client, order: dict) -> dict:
    payment = _ok(client.post(f"/api/v1/orders/{order['id']}/pay"))
    return _ok(client.post(f"/api/v1/sandbox/payments/{payment['payment_id']}/succeed"))


def detail(client, solitaire: dict) -> dict:
    return _ok(client.get(f"/api/v1/solitaires/{solitaire['id']}"))
