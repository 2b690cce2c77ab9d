"""Identity use cases with in-memory fakes of every port: no database, no Django."""

from datetime import timedelta

import pytest

from contexts.identity import services
from contexts.identity.domain import model
from contexts.identity.domain.model import hash_token
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, Throttled
from tests.support.identity import PHONE, TTL, World


@pytest.fixture
def world():
    return World()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_first_login_creates_a_user_and_a_hashed_token(world):
    # when
    result = world.login(nickname="Alice", avatar_url="https://img/a.png")
    # then
    (user,) = world.uow.users.rows.values()
    (token,) = world.uow.tokens.rows.values()
    assert (user.openid, user.nickname, user.avatar_url, user.phone) == (
        "openid-alice",
        "Alice",
        "https://img/a.png",
        None,
    )
    assert user.username.startswith("wx_") and "openid" not in user.username
    assert token.key_hash == hash_token(result.token) != result.token
    assert token.expires_at == world.clock.now() + timedelta(seconds=TTL)
    assert result.user.id == user.id


def test_same_code_is_the_same_user_and_a_given_nickname_is_updated(world):
    # given
    first = world.login(nickname="Alice")
    # when
    again = world.login(nickname="Alice Z")
    untouched = world.login()
    # then
    assert again.user.id == first.user.id == untouched.user.id
    assert untouched.user.nickname == "Alice Z"
    assert len(world.uow.users.rows) == 1
    assert len(world.uow.tokens.rows) == 3


def test_login_with_a_refused_code_changes_nothing(world):
    # when
    with pytest.raises(InvalidInput) as error:
        world.login(code="nonsense")
    # then
    assert error.value.code == "invalid_wechat_code"
    assert world.state() == [{}, {}, {}]


def test_authenticate_gives_the_user_until_the_token_expires(world):
    # given
    result = world.login(nickname="Alice")
    # when / then
    assert world.authenticate(result.token) == result.user
    world.clock.advance(seconds=TTL)
    assert world.authenticate(result.token) is None
    assert world.authenticate("unknown") is None
    assert world.authenticate("") is None


def test_authenticate_records_the_use_at_most_once_a_minute(world):
    # given
    result = world.login()
    (token_id,) = world.uow.tokens.rows
    start = world.clock.now()
    # when
    world.authenticate(result.token)
    world.clock.advance(seconds=59)
    world.authenticate(result.token)
    # then
    assert world.uow.tokens.rows[token_id].last_used_at == start
    world.clock.advance(seconds=1)
    world.authenticate(result.token)
    assert world.uow.tokens.rows[token_id].last_used_at == start + timedelta(seconds=60)


def test_a_revoked_token_no_longer_authenticates(world):
    # given
    result = world.login()
    # when
    revoked = services.revoke_token(uow=world.uow, clock=world.clock, raw_token=result.token)
    # then
    assert revoked is True
    assert world.authenticate(result.token) is None
    assert services.revoke_token(uow=world.uow, clock=world.clock, raw_token=result.token) is False


def test_an_inactive_user_does_not_authenticate(world):
    # given
    result = world.login()
    world.uow.users.rows[result.user.id].is_active = False
    # when / then
    assert world.authenticate(result.token) is None


def test_get_me_of_an_unknown_user_is_user_not_found(world):
    with pytest.raises(NotFound) as error:
        services.get_me(uow=world.uow, user_id="nobody")
    assert error.value.code == "user_not_found"


def test_request_code_sends_six_digits_and_stores_only_a_hash(world):
    # given
    user = world.login().user
    # when
    code = world.request_code(user.id)
    # then
    (stored,) = world.uow.sms_codes.rows.values()
    assert len(code) == 6 and code.isdigit()
    assert world.sms.sent == [(PHONE, "bind_phone", code)]
    assert code not in stored.code_hash
    assert stored.expires_at == world.clock.now() + timedelta(minutes=5)


@pytest.mark.parametrize("phone", ["12800000001", "1380000000", "138000000012", "abc", ""])
def test_request_code_for_an_invalid_phone_is_invalid_phone(world, phone):
    user = world.login().user
    before = world.state()
    with pytest.raises(InvalidInput) as error:
        world.request_code(user.id, phone=phone)
    assert error.value.code == "invalid_phone"
    assert world.state() == before and world.sms.sent == []


def test_request_code_for_an_unknown_purpose_is_invalid_with_fields(world):
    user = world.login().user
    with pytest.raises(InvalidInput) as error:
        world.request_code(user.id, purpose="spam")
    assert (error.value.code, list(error.value.fields)) == ("invalid", ["purpose"])


def test_one_code_per_phone_and_purpose_per_minute(world):
    # given
    user = world.login().user
    world.request_code(user.id)
    before = world.state()
    # when / then: within 60 s, refused and nothing sent
    world.clock.advance(seconds=59)
    with pytest.raises(Throttled):
        world.request_code(user.id)
    assert world.state() == before and len(world.sms.sent) == 1
    # another purpose is another limit
    world.request_code(user.id, purpose="create_store")
    # after 60 s, allowed again
    world.clock.advance(seconds=1)
    world.request_code(user.id)
    assert len(world.sms.sent) == 3


def test_a_failed_send_stores_no_code_and_frees_the_limit(world):
    user = world.login().user
    world.sms.fail = True
    with pytest.raises(RuntimeError):
        world.request_code(user.id)
    assert world.uow.sms_codes.rows == {}
    world.sms.fail = False
    world.request_code(user.id)
    assert len(world.uow.sms_codes.rows) == 1


def test_bind_phone_with_the_right_code(world):
    # given
    user = world.login().user
    code = world.request_code(user.id)
    # when
    info = world.bind(user.id, code)
    # then
    assert info.phone == PHONE
    assert world.uow.users.rows[user.id].phone == PHONE
    (stored,) = world.uow.sms_codes.rows.values()
    assert stored.used_at == world.clock.now()


def test_a_wrong_code_costs_one_try_and_binds_nothing(world):
    user = world.login().user
    code = world.request_code(user.id)
    with pytest.raises(InvalidInput) as error:
        world.bind(user.id, wrong(code))
    assert error.value.code == "invalid_sms_code"
    assert world.uow.users.rows[user.id].phone is None
    (stored,) = world.uow.sms_codes.rows.values()
    assert (stored.attempts, stored.used_at) == (1, None)


def test_the_sixth_try_fails_even_with_the_right_code(world):
    # given: five wrong tries
    user = world.login().user
    code = world.request_code(user.id)
    for _ in range(5):
        with pytest.raises(InvalidInput):
            world.bind(user.id, wrong(code))
    before = world.state()
    # when
    with pytest.raises(InvalidInput) as error:
        world.bind(user.id, code)
    # then
    assert error.value.code == "invalid_sms_code"
    assert world.state() == before
    assert world.uow.users.rows[user.id].phone is None


def test_a_code_dies_after_five_minutes(world):
    user = world.login().user
    code = world.request_code(user.id)
    world.clock.advance(minutes=5)
    with pytest.raises(InvalidInput) as error:
        world.bind(user.id, code)
    assert error.value.code == "invalid_sms_code"
    assert world.uow.users.rows[user.id].phone is None


def test_a_new_code_supersedes_the_older_one(world, monkeypatch):
    # given: two codes, 111111 then 222222
    draws = iter([111111, 222222])
    monkeypatch.setattr(model.secrets, "randbelow", lambda _n: next(draws))
    user = world.login().user
    assert world.request_code(user.id) == "111111"
    world.clock.advance(seconds=60)
    assert world.request_code(user.id) == "222222"
    # when / then: the old one no longer works, the new one does
    with pytest.raises(InvalidInput):
        world.bind(user.id, "111111")
    assert world.bind(user.id, "222222").phone == PHONE


def test_a_used_code_cannot_be_used_again(world):
    user = world.login().user
    code = world.request_code(user.id, purpose="create_store")
    world.verify(code)
    with pytest.raises(InvalidInput) as error:
        world.verify(code)
    assert error.value.code == "invalid_sms_code"


def test_a_code_of_one_purpose_does_not_serve_another(world):
    user = world.login().user
    code = world.request_code(user.id, purpose="create_store")
    with pytest.raises(InvalidInput) as error:
        world.bind(user.id, code)
    assert error.value.code == "invalid_sms_code"
    world.verify(code, purpose="create_store")


def test_verify_without_any_code_is_invalid_sms_code(world):
    with pytest.raises(InvalidInput) as error:
        world.verify("123456")
    assert error.value.code == "invalid_sms_code"


def test_a_phone_bound_to_another_user_is_a_conflict_and_the_code_stays_usable(world):
    # given: bob owns the phone
    bob = world.login(code="wx-bob").user
    world.bind(bob.id, world.request_code(bob.id))
    alice = world.login(code="wx-alice").user
    world.clock.advance(seconds=60)
    code = world.request_code(alice.id)
    before = world.state()
    # when
    with pytest.raises(Conflict) as error:
        world.bind(alice.id, code)
    # then
    assert error.value.code == "invalid_state"
    assert world.state() == before
    assert world.uow.users.rows[alice.id].phone is None


def test_binding_ones_own_phone_again_is_fine(world):
    user = world.login().user
    world.bind(user.id, world.request_code(user.id))
    world.clock.advance(seconds=60)
    assert world.bind(user.id, world.request_code(user.id)).phone == PHONE


def test_revoke_tokens_by_id_counts_only_active_ones(world):
    world.login()
    world.login()
    ids = list(world.uow.tokens.rows)
    assert services.revoke_tokens(uow=world.uow, clock=world.clock, token_ids=ids[:1]) == 1
    assert services.revoke_tokens(uow=world.uow, clock=world.clock, token_ids=ids + ["nope"]) == 1
