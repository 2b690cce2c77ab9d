"""Helpers of the store and staff API tests (no tests here): open stores through the real SMS
flow and build a small world of roles."""

from dataclasses import dataclass

ADDRESS = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}


def send_code(client, phone: str) -> None:
    response = client.post(
        "/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, format="json"
    )
    assert response.status_code == 202, response.content


def open_store(client, sandbox_code, *, phone: str, name: str = "街角小店", **extra) -> dict:
    """POST /stores with a fresh create_store code; returns the 201 body."""
    send_code(client, phone)
    body = {"name": name, "phone": phone, "sms_code": sandbox_code(phone), "address": ADDRESS, **extra}
    response = client.post("/api/v1/stores", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def add_staff(client, store_id: str, phone: str, role: str) -> dict:
    response = client.post(f"/api/v1/stores/{store_id}/staff", {"phone": phone, "role": role}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


@dataclass
class Person:
    client: object
    user: dict

    @property
    def id(self) -> str:
        return self.user["id"]


@dataclass
class World:
    store: dict
    other_store: dict
    people: dict  # role name -> Person: owner, manager, clerk, other_owner, customer
    anonymous: object


def build_world(phone_client, user_client, sandbox_code, anonymous) -> World:
    """Store A: owner (13800000001), manager (…02), clerk (…03). Store B: other_owner (…04).
    customer: a user without any role."""
    people = {
        "owner": Person(*phone_client("olive", "13800000001")),
        "manager": Person(*phone_client("max", "13800000002")),
        "clerk": Person(*phone_client("cleo", "13800000003")),
        "other_owner": Person(*phone_client("otto", "13800000004")),
        "customer": Person(*user_client("cora")),
    }
    store = open_store(people["owner"].client, sandbox_code, phone="13800000001")
    other_store = open_store(people["other_owner"].client, sandbox_code, phone="13800000004", name="对面小店")
    add_staff(people["owner"].client, store["id"], "13800000002", "manager")
    add_staff(people["owner"].client, store["id"], "13800000003", "clerk")
    return World(store=store, other_store=other_store, people=people, anonymous=anonymous)
