"""POST /auth/wechat-login, GET /me, POST /auth/logout and bearer tokens."""

import hashlib

import pytest
from django.test import override_settings

from contexts.identity import queries
from contexts.identity.models import ApiToken, User

LOGIN = "/api/v1/auth/wechat-login"


def login(client, code, **profile):
    return client.post(LOGIN, {"code": code, **profile}, format="json")


def test_wechat_login_with_a_sandbox_code_creates_the_user_and_returns_a_token(api_client, db):
    # when
    response = login(api_client, "sandbox-alice", nickname="Alice", avatar_url="https://img.example/a.png")
    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "user"}
    assert body["user"] == {
        "id": body["user"]["id"],
        "nickname": "Alice",
        "avatar_url": "https://img.example/a.png",
        "phone": None,
    }
    assert len(body["token"]) >= 40
    assert queries.user_info(body["user"]["id"]).nickname == "Alice"


def test_the_same_code_is_the_same_user_and_nickname_updates_only_when_given(api_client, db):
    # given
    first = login(api_client, "sandbox-alice", nickname="Alice").json()
    # when
    renamed = login(api_client, "sandbox-alice", nickname="Alice Z").json()
    kept = login(api_client, "sandbox-alice").json()
    other = login(api_client, "sandbox-bob").json()
    # then
    assert renamed["user"]["id"] == first["user"]["id"] == kept["user"]["id"]
    assert kept["user"]["nickname"] == "Alice Z"
    assert other["user"]["id"] != first["user"]["id"]
    assert len({first["token"], renamed["token"], kept["token"]}) == 3


@pytest.mark.parametrize("code", ["abc", "sandbox-", "sandbox-   ", "SANDBOX-alice", "wx-real-code"])
def test_a_code_that_is_not_sandbox_name_is_invalid_wechat_code_and_creates_nothing(api_client, db, code):
    response = login(api_client, code)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_wechat_code", "detail": "微信登录凭证无效。"}
    assert (User.objects.count(), ApiToken.objects.count()) == (0, 0)


def test_login_without_a_code_is_a_validation_error_with_fields(api_client, db):
    response = api_client.post(LOGIN, {"nickname": "x", "avatar_url": "not a url"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"code", "avatar_url"}


@pytest.mark.parametrize("field", ["code", "nickname", "avatar_url"])
def test_a_number_for_a_text_field_is_invalid_and_logs_nobody_in(api_client, db, field):
    # when
    response = api_client.post(LOGIN, {"code": "sandbox-alice", field: 5}, format="json")
    # then
    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["fields"])) == ("invalid", [field])
    assert (User.objects.count(), ApiToken.objects.count()) == (0, 0)


def test_the_token_is_stored_only_as_its_sha256(api_client, db):
    # when
    token = login(api_client, "sandbox-alice").json()["token"]
    # then: the raw token appears in no table
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT key_hash FROM identity_apitoken")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT COUNT(*) FROM identity_apitoken WHERE key_hash LIKE %s", [f"%{token}%"])
        (raw_hits,) = cursor.fetchone()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert raw_hits == 0


def test_a_stale_bearer_header_does_not_block_logging_in(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert login(api_client, "sandbox-alice").status_code == 200


def test_me_returns_the_logged_in_user(user_client):
    client, user = user_client("alice", nickname="Alice")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == user == {"id": user["id"], "nickname": "Alice", "avatar_url": "", "phone": None}


def test_me_without_a_token_is_401_not_authenticated(api_client, db):
    response = api_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer unknown-token", "Bearer", "Token abc", "Bearer a b", "Basic dXNlcjpwYXNz"]
)
def test_me_with_a_bad_authorization_header_is_401(api_client, db, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_expired_token_is_401(user_client, time_machine, settings):
    # given
    client, _user = user_client("alice")
    # when: the token's lifetime passes
    time_machine.advance(seconds=settings.API_TOKEN_TTL_SECONDS)
    response = client.get("/api/v1/me")
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_lives_as_long_as_the_setting_says(user_client, time_machine):
    with override_settings(API_TOKEN_TTL_SECONDS=60):
        client, _user = user_client("alice")
    time_machine.advance(seconds=59)
    assert client.get("/api/v1/me").status_code == 200
    time_machine.advance(seconds=1)
    assert client.get("/api/v1/me").status_code == 401


def test_logout_revokes_the_token_and_only_that_token(user_client):
    # given: alice logged in on two devices
    phone, _user = user_client("alice")
    tablet, _same = user_client("alice")
    # when
    response = phone.post("/api/v1/auth/logout")
    # then
    assert response.status_code == 204
    revoked = phone.get("/api/v1/me")
    assert revoked.status_code == 401 and revoked.json()["code"] == "not_authenticated"
    assert phone.post("/api/v1/auth/logout").status_code == 401
    assert tablet.get("/api/v1/me").status_code == 200


def test_logout_without_a_token_is_401(api_client, db):
    assert api_client.post("/api/v1/auth/logout").status_code == 401
