"""Fixtures of the API tests: logged-in clients (the clock is tests/conftest.py's time_machine)."""

import pytest


@pytest.fixture
def user_client(api_client, db):
    """`user_client("alice")` -> (client with alice's bearer token, alice's user JSON).
    The same name is the same user (sandbox WeChat code "sandbox-<name>")."""

    def login(name: str = "alice", **profile):
        client = type(api_client)()
        body = {"code": f"sandbox-{name}", **profile}
        response = client.post("/api/v1/auth/wechat-login", body, format="json")
        assert response.status_code == 200, response.content
        body = response.json()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
        return client, body["user"]

    return login


@pytest.fixture
def phone_client(user_client):
    """`phone_client("alice", "13800000001")` -> (client, user JSON) of a user whose phone is
    verified through the real SMS flow (sandbox SMS)."""

    def login_with_phone(name: str, phone: str):
        client, _user = user_client(name)
        sent = client.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": "bind_phone"}, format="json")
        assert sent.status_code == 202, sent.content
        code = client.get("/api/v1/sandbox/sms", {"phone": phone}).json()["code"]
        bound = client.post("/api/v1/me/phone", {"phone": phone, "code": code}, format="json")
        assert bound.status_code == 200, bound.content
        return client, bound.json()

    return login_with_phone


@pytest.fixture
def sandbox_code(api_client):
    """`sandbox_code(phone)` -> the last SMS code the sandbox sent to that phone."""

    def read(phone: str) -> str:
        response = type(api_client)().get("/api/v1/sandbox/sms", {"phone": phone})
        assert response.status_code == 200, response.content
        return response.json()["code"]

    return read
