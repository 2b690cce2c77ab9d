"""GET /sandbox/sms: the last code the sandbox sent to a phone; absent outside the sandbox."""

import pytest
from django.test import override_settings

SMS = "/api/v1/sandbox/sms"
PHONE = "13800000001"


def test_the_last_code_sent_to_the_phone_is_shown(user_client, api_client, time_machine):
    # given: a bind_phone code, then a minute later a create_store code
    client, _user = user_client("alice")
    client.post("/api/v1/auth/sms-codes", {"phone": PHONE, "purpose": "bind_phone"}, format="json")
    time_machine.advance(seconds=60)
    client.post("/api/v1/auth/sms-codes", {"phone": PHONE, "purpose": "create_store"}, format="json")
    # when: anyone asks
    response = api_client.get(SMS, {"phone": PHONE})
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"phone", "code", "purpose", "sent_at"}
    assert (body["phone"], body["purpose"]) == (PHONE, "create_store")
    assert len(body["code"]) == 6 and body["code"].isdigit()
    assert body["sent_at"].endswith("+08:00")


def test_a_phone_that_received_nothing_is_404_not_found(api_client, db):
    response = api_client.get(SMS, {"phone": PHONE})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_missing_phone_is_a_validation_error(api_client, db):
    response = api_client.get(SMS)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["phone"]


def test_an_invalid_phone_is_invalid_phone(api_client, db):
    response = api_client.get(SMS, {"phone": "12345"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"


@pytest.mark.parametrize("query", [{"phone": PHONE}, {}])
def test_outside_the_sandbox_the_endpoint_is_404(user_client, api_client, query):
    client, _user = user_client("alice")
    client.post("/api/v1/auth/sms-codes", {"phone": PHONE, "purpose": "bind_phone"}, format="json")
    with override_settings(GROUPBUY_SANDBOX=False):
        response = api_client.get(SMS, query)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
