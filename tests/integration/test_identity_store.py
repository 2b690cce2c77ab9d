"""Identity's repositories, queries, bootstrap and admin on a real database."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contexts.identity import bootstrap, queries
from contexts.identity.adapters.orm import DjangoIdentityUow
from contexts.identity.domain.model import User as DomainUser
from contexts.identity.models import ApiToken, SmsCode, User
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.values import Phone

pytestmark = pytest.mark.django_db


def test_a_wechat_user_gets_a_hashed_username_and_an_unusable_password():
    # when
    result = bootstrap.login_with_wechat(code="sandbox-alice", nickname="Alice")
    # then
    row = User.objects.get(pk=result.user.id)
    expected_openid = "sandbox-openid-" + hashlib.sha256(b"alice").hexdigest()[:24]
    assert row.openid == expected_openid
    assert row.username == "wx_" + hashlib.sha256(expected_openid.encode()).hexdigest()[:32]
    assert not row.has_usable_password()
    assert (row.nickname, row.phone, row.is_staff) == ("Alice", None, False)


def test_the_database_refuses_a_phone_bound_twice():
    # given
    alice = DomainUser.from_wechat(openid="o-alice", unionid=None, nickname="A", avatar_url=None)
    bob = DomainUser.from_wechat(openid="o-bob", unionid=None, nickname="B", avatar_url=None)
    uow = DjangoIdentityUow()
    with uow:
        uow.users.add(alice)
        uow.users.add(bob)
        alice.bind_phone(Phone("13800000001"))
        uow.users.save(alice)
        uow.commit()
    # when
    bob.bind_phone(Phone("13800000001"))
    with pytest.raises(Conflict), uow:
        uow.users.save(bob)
        uow.commit()
    # then
    assert User.objects.get(pk=bob.id).phone is None
    assert User.objects.get(pk=alice.id).phone == "13800000001"


def test_queries_read_users_in_one_query(django_assert_num_queries):
    # given
    alice = bootstrap.login_with_wechat(code="sandbox-alice", nickname="Alice").user
    bob = bootstrap.login_with_wechat(code="sandbox-bob", nickname="Bob").user
    User.objects.filter(pk=bob.id).update(phone="13900000002")
    # when / then
    with django_assert_num_queries(1):
        found = queries.users_by_ids([alice.id, bob.id, "not-an-id"])
    assert {k: v.nickname for k, v in found.items()} == {alice.id: "Alice", bob.id: "Bob"}
    assert found[bob.id].phone == "13900000002"
    assert queries.user_by_phone("13900000002") == found[bob.id]
    assert queries.user_by_phone("13800000009") is None
    assert queries.user_info(alice.id) == alice
    assert queries.user_info("nope") is None


def test_authenticate_writes_last_used_at_at_most_once_a_minute(monkeypatch, django_assert_num_queries):
    # given
    token = bootstrap.login_with_wechat(code="sandbox-alice").token
    bootstrap.authenticate(raw_token=token)
    first = ApiToken.objects.get().last_used_at
    # when: used again within the minute, one read (token and user together) and no write
    with django_assert_num_queries(1):
        assert bootstrap.authenticate(raw_token=token) is not None
    # then
    assert ApiToken.objects.get().last_used_at == first
    later = timezone.now() + timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    bootstrap.authenticate(raw_token=token)
    assert ApiToken.objects.get().last_used_at == later


def test_an_inactive_user_is_not_authenticated():
    result = bootstrap.login_with_wechat(code="sandbox-alice")
    User.objects.filter(pk=result.user.id).update(is_active=False)
    assert bootstrap.authenticate(raw_token=result.token) is None


def test_verify_sms_code_uses_up_a_create_store_code():
    # given
    user = bootstrap.login_with_wechat(code="sandbox-alice").user
    bootstrap.request_sms_code(user_id=user.id, phone="13800000001", purpose="create_store")
    from contexts.integration import services as integration

    code = integration.last_sandbox_sms(phone="13800000001").code
    # when
    bootstrap.verify_sms_code(phone="13800000001", purpose="create_store", code=code)
    # then
    assert SmsCode.objects.get().used_at is not None


def test_the_admin_revokes_tokens_through_the_service(admin_client):
    # given
    token = bootstrap.login_with_wechat(code="sandbox-alice").token
    row = ApiToken.objects.get()
    # when
    response = admin_client.post(
        reverse("admin:identity_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [str(row.pk)]},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert ApiToken.objects.get().revoked_at is not None
    assert bootstrap.authenticate(raw_token=token) is None


@pytest.mark.parametrize(
    "name", ["identity_user_changelist", "identity_apitoken_changelist", "identity_smscode_changelist"]
)
def test_the_admin_lists_and_searches(admin_client, name):
    bootstrap.login_with_wechat(code="sandbox-alice", nickname="Alice")
    response = admin_client.get(reverse(f"admin:{name}"), {"q": "Alice"})
    assert response.status_code == 200


def test_the_admin_shows_a_user(admin_client):
    user = bootstrap.login_with_wechat(code="sandbox-alice", nickname="Alice").user
    response = admin_client.get(reverse("admin:identity_user_change", args=[user.id]))
    assert response.status_code == 200
    assert b"openid" in response.content
