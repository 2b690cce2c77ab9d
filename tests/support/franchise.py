"""Helpers of the franchise tests (no tests here): a brand store and an affiliate store, each
with its owner, manager and clerk, another store's owner, a customer and an anonymous client,
all built through the API; and short-hands for the franchise's endpoints."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from contexts.affiliate.models import FranchisePolicy, Membership, Resale
from tests.support.api import open_store

WHO = ("owner", "manager", "clerk", "other_store_owner", "customer", "anonymous")
MISSING_STORE = "00000000-0000-4000-8000-000000000000"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


@dataclass
class World:
    brand: dict  # the brand store's JSON
    affiliate: dict  # a store that may join the brand's franchise
    other: dict  # a third store, of another owner
    brand_clients: dict  # WHO -> client, roles in the brand store
    affiliate_clients: dict  # WHO -> client, roles in the affiliate store


def _staffed_store(user_client, phone_client, owner_name: str, phones: tuple, name: str):
    owner, _ = user_client(owner_name)
    store = open_store(owner, phones[0], name)
    clients = {"owner": owner}
    for role, (staff_name, phone) in zip(("manager", "clerk"), phones[1], strict=True):
        client, _ = phone_client(staff_name, phone)
        body = {"phone": phone, "role": role}
        ok(owner.post(f"/api/v1/stores/{store['id']}/staff", body, format="json"), 201)
        clients[role] = client
    return store, clients


def build_world(user_client, phone_client, api_client) -> World:
    brand, brand_staff = _staffed_store(
        user_client,
        phone_client,
        "alice",
        ("13800000001", [("mia", "13900000001"), ("cole", "13900000002")]),
        "Brand shop",
    )
    affiliate, affiliate_staff = _staffed_store(
        user_client,
        phone_client,
        "bob",
        ("13800000002", [("max", "13900000003"), ("cara", "13900000004")]),
        "Affiliate shop",
    )
    other_owner, _ = user_client("olga")
    other = open_store(other_owner, "13800000003", "Other shop")
    customer, _ = user_client("carol")
    outsiders = {"other_store_owner": other_owner, "customer": customer, "anonymous": type(api_client)()}
    return World(
        brand=brand,
        affiliate=affiliate,
        other=other,
        brand_clients={**brand_staff, **outsiders},
        affiliate_clients={**affiliate_staff, **outsiders},
    )


def members_url(store_id: str) -> str:
    return f"/api/v1/stores/{store_id}/franchise/members"


def member_url(store_id: str, member_store_id: str) -> str:
    return f"/api/v1/stores/{store_id}/franchise/members/{member_store_id}"


def resales_url(solitaire_id: str) -> str:
    return f"/api/v1/solitaires/{solitaire_id}/resales"


def store_resales_url(store_id: str) -> str:
    return f"/api/v1/stores/{store_id}/resales"


def set_policy(world: World, *, enabled: bool = True, commission_bps: int = 1000, cycle: str = "weekly"):
    body = {"enabled": enabled, "commission_bps": commission_bps, "billing_cycle": cycle}
    owner = world.brand_clients["owner"]
    return ok(owner.put(f"/api/v1/stores/{world.brand['id']}/franchise", body, format="json"))


def join_franchise(world: World, store_id: str) -> dict:
    owner = world.brand_clients["owner"]
    return ok(owner.post(members_url(world.brand["id"]), {"store_id": store_id}, format="json"), 201)


def leave_franchise(world: World, store_id: str) -> None:
    ok(world.brand_clients["owner"].delete(member_url(world.brand["id"], store_id)), 204)


def solitaire_of(owner, store_id: str, title: str = "Friday fruit", *, publish: bool = True) -> dict:
    """A solitaire of the owner's store with one item (apples at 1200 fen, 100 in stock)."""
    goods_body = {
        "name": f"{title} apples",
        "price_fen": 1200,
        "stock": 1000,
        "image_urls": ["https://img.example/apples.png"],
    }
    goods = ok(owner.post(f"/api/v1/stores/{store_id}/goods", goods_body, format="json"), 201)
    point = ok(owner.get(f"/api/v1/stores/{store_id}/pickup-points"))[0]
    now = timezone.now()
    body = {
        "title": title,
        "start_at": (now - timedelta(hours=1)).isoformat(),
        "end_at": (now + timedelta(days=1)).isoformat(),
        "pickup_point_ids": [point["id"]],
        "items": [{"goods_id": goods["id"], "stock": 100}],
    }
    solitaire = ok(owner.post(f"/api/v1/stores/{store_id}/solitaires", body, format="json"), 201)
    if publish:
        solitaire = ok(owner.post(f"/api/v1/solitaires/{solitaire['id']}/publish"))
    return solitaire


def brand_solitaire(world: World, title: str = "Friday fruit", *, publish: bool = True) -> dict:
    return solitaire_of(world.brand_clients["owner"], world.brand["id"], title, publish=publish)


def resell(world: World, solitaire: dict, who: str = "owner", store_id: str | None = None):
    """POST /solitaires/{id}/resales by the affiliate store's `who`; the response."""
    body = {"store_id": store_id or world.affiliate["id"]}
    return world.affiliate_clients[who].post(resales_url(solitaire["id"]), body, format="json")


def members_table() -> list[tuple]:
    return list(
        Membership.objects.order_by("brand_store_id", "member_store_id").values_list(
            "brand_store_id", "member_store_id", "joined_at"
        )
    )


def resales_table() -> list[tuple]:
    return list(
        Resale.objects.order_by("id").values_list(
            "id", "solitaire_id", "brand_store_id", "store_id", "created_at"
        )
    )


def policies_table() -> list[tuple]:
    return list(
        FranchisePolicy.objects.order_by("store_id").values_list(
            "store_id", "enabled", "commission_bps", "billing_cycle", "updated_at"
        )
    )


def store_row(store_id: str, name: str) -> None:
    """A store written straight to store's table, for tests below the API (the kernel's store
    directory reads it)."""
    from contexts.store.models import Store

    now = timezone.now()
    Store.objects.create(
        id=store_id,
        owner_id="owner-of-" + store_id[:8],
        name=name,
        phone="13800000000",
        province="广东省",
        city="深圳市",
        district="南山区",
        detail="科技园 1 号",
        created_at=now,
    )
