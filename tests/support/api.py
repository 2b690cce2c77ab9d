"""Helpers every API test shares."""

ADDRESS = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}


def open_store(client, phone: str, name: str = "Corner shop", address: dict = ADDRESS) -> dict:
    """A store created through the API, proven by the SMS code the sandbox sent; its JSON."""
    sent = client.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, format="json")
    assert sent.status_code == 202, sent.content
    code = client.get("/api/v1/sandbox/sms", {"phone": phone}).json()["code"]
    body = {"name": name, "phone": phone, "sms_code": code, "address": address}
    created = client.post("/api/v1/stores", body, format="json")
    assert created.status_code == 201, created.content
    return created.json()
