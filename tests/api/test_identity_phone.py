"""POST /auth/sms-codes and POST /me/phone: codes, limits, tries, expiry and binding."""

import secrets

import pytest

from contexts.identity.models import SmsCode, User
from contexts.integration.models import SandboxSms

SEND = "/api/v1/auth/sms-codes"
BIND = "/api/v1/me/phone"
PHONE = "13800000001"


def send(client, phone=PHONE, purpose="bind_phone"):
    return client.post(SEND, {"phone": phone, "purpose": purpose}, format="json")


def bind(client, code, phone=PHONE):
    return client.post(BIND, {"phone": phone, "code": code}, format="json")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def phone_of(user: dict):
    return User.objects.get(pk=user["id"]).phone


def test_requesting_a_code_is_202_and_the_sandbox_received_it(user_client, sandbox_code):
    # given
    client, _user = user_client("alice")
    # when
    response = send(client)
    # then
    assert response.status_code == 202
    assert response.json() == {}
    code = sandbox_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    stored = SmsCode.objects.get()
    assert (stored.phone, stored.purpose, stored.attempts, stored.used_at) == (PHONE, "bind_phone", 0, None)
    assert code not in stored.code_hash


@pytest.mark.parametrize(
    "phone", ["12800000001", "1380000000", "138000000011", "+8613800000001", "abcdefghijk"]
)
def test_an_invalid_phone_is_invalid_phone_and_sends_nothing(user_client, phone):
    client, _user = user_client("alice")
    response = send(client, phone=phone)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"
    assert (SmsCode.objects.count(), SandboxSms.objects.count()) == (0, 0)


def test_missing_fields_and_an_unknown_purpose_are_validation_errors(user_client):
    client, _user = user_client("alice")
    response = client.post(SEND, {"purpose": "spam"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"phone", "purpose"}
    assert SandboxSms.objects.count() == 0


def test_a_phone_sent_as_a_number_is_invalid_and_sends_nothing(user_client):
    # given
    client, _user = user_client("alice")
    # when
    response = send(client, phone=int(PHONE))
    # then
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid", ["phone"])
    assert (SmsCode.objects.count(), SandboxSms.objects.count()) == (0, 0)


def test_a_code_sent_as_a_number_is_invalid_and_binds_nothing(user_client, sandbox_code):
    # given
    client, user = user_client("alice")
    send(client)
    code = sandbox_code(PHONE)
    # when
    response = bind(client, int(code))
    # then: refused before the code is tried, so it is neither spent nor used
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid", ["code"])
    assert phone_of(user) is None
    assert SmsCode.objects.values_list("attempts", "used_at").get() == (0, None)


def test_a_second_code_within_60_seconds_is_429_throttled(user_client, time_machine):
    # given
    client, _user = user_client("alice")
    assert send(client).status_code == 202
    # when
    time_machine.advance(seconds=59)
    response = send(client)
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert response["Retry-After"] == "60"  # the limit's whole period: the latest a new code is possible
    assert (SmsCode.objects.count(), SandboxSms.objects.count()) == (1, 1)


def test_the_limit_is_per_phone_not_per_user(user_client):
    alice, _a = user_client("alice")
    bob, _b = user_client("bob")
    assert send(alice).status_code == 202
    assert send(bob).status_code == 429
    assert send(bob, phone="13900000002").status_code == 202
    assert send(alice, purpose="create_store").status_code == 202


def test_a_code_can_be_requested_again_after_60_seconds(user_client, time_machine):
    client, _user = user_client("alice")
    assert send(client).status_code == 202
    time_machine.advance(seconds=60)
    assert send(client).status_code == 202
    assert SmsCode.objects.count() == 2


def test_binding_with_the_right_code_sets_the_verified_phone(user_client, sandbox_code):
    # given
    client, user = user_client("alice", nickname="Alice")
    send(client)
    # when
    response = bind(client, sandbox_code(PHONE))
    # then
    assert response.status_code == 200
    assert response.json() == {"id": user["id"], "nickname": "Alice", "avatar_url": "", "phone": PHONE}
    assert client.get("/api/v1/me").json()["phone"] == PHONE
    assert SmsCode.objects.get().used_at is not None


def test_a_wrong_code_is_invalid_sms_code_and_costs_one_try(user_client, sandbox_code):
    client, user = user_client("alice")
    send(client)
    response = bind(client, wrong(sandbox_code(PHONE)))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sms_code"
    assert phone_of(user) is None
    assert SmsCode.objects.get().attempts == 1


def test_a_code_is_dead_after_five_minutes(user_client, sandbox_code, time_machine):
    client, user = user_client("alice")
    send(client)
    code = sandbox_code(PHONE)
    time_machine.advance(minutes=5)
    response = bind(client, code)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sms_code"
    assert phone_of(user) is None


def test_a_code_still_works_just_before_five_minutes(user_client, sandbox_code, time_machine):
    client, user = user_client("alice")
    send(client)
    time_machine.advance(minutes=4, seconds=59)
    assert bind(client, sandbox_code(PHONE)).status_code == 200


def test_the_sixth_try_fails_even_with_the_right_code(user_client, sandbox_code):
    # given: five wrong tries
    client, user = user_client("alice")
    send(client)
    code = sandbox_code(PHONE)
    for _ in range(5):
        assert bind(client, wrong(code)).json()["code"] == "invalid_sms_code"
    # when
    response = bind(client, code)
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sms_code"
    assert phone_of(user) is None
    stored = SmsCode.objects.get()
    assert (stored.attempts, stored.used_at) == (5, None)


def test_a_new_code_supersedes_the_older_one(user_client, sandbox_code, time_machine, monkeypatch):
    # given: a code 111111, then a minute later a code 222222
    draws = iter([111111, 222222])
    monkeypatch.setattr(secrets, "randbelow", lambda _n: next(draws))
    client, _user = user_client("alice")
    send(client)
    time_machine.advance(seconds=60)
    send(client)
    assert sandbox_code(PHONE) == "222222"
    # when / then
    assert bind(client, "111111").json()["code"] == "invalid_sms_code"
    assert bind(client, "222222").status_code == 200


def test_a_used_code_cannot_bind_again(user_client, sandbox_code):
    client, _user = user_client("alice")
    send(client)
    code = sandbox_code(PHONE)
    assert bind(client, code).status_code == 200
    assert bind(client, code).json()["code"] == "invalid_sms_code"


def test_a_create_store_code_does_not_bind_a_phone(user_client, sandbox_code):
    client, user = user_client("alice")
    send(client, purpose="create_store")
    response = bind(client, sandbox_code(PHONE))
    assert response.json()["code"] == "invalid_sms_code"
    assert phone_of(user) is None


def test_a_phone_bound_to_another_user_is_409_and_nothing_changes(
    phone_client, user_client, sandbox_code, time_machine
):
    # given: bob verified the phone; alice received a code for it a minute later
    _bob_client, bob = phone_client("bob", PHONE)
    alice_client, alice = user_client("alice")
    time_machine.advance(seconds=60)
    send(alice_client)
    # when
    response = bind(alice_client, sandbox_code(PHONE))
    # then
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_state",
        "detail": "该手机号已绑定其他用户。",
    }
    assert (phone_of(alice), phone_of(bob)) == (None, PHONE)
    assert SmsCode.objects.filter(used_at__isnull=True).count() == 1


def test_bind_phone_validation_errors_have_fields(user_client):
    client, _user = user_client("alice")
    response = client.post(BIND, {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"phone", "code"}


def test_bind_phone_with_an_invalid_phone_is_invalid_phone(user_client):
    client, _user = user_client("alice")
    response = bind(client, "123456", phone="1234")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"


@pytest.mark.parametrize("path", [SEND, BIND])
def test_codes_and_binding_need_a_token(api_client, db, path):
    response = api_client.post(
        path, {"phone": PHONE, "purpose": "bind_phone", "code": "123456"}, format="json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert SandboxSms.objects.count() == 0
