"""Identity use cases: one keyword-only function each. Framework-free: ports come in as arguments
(bootstrap.py binds them by name, tests hand in fakes)."""

from contexts.identity import contracts
from contexts.identity.domain import errors
from contexts.identity.domain.model import (
    SMS_PURPOSES,
    SMS_RESEND_SECONDS,
    ApiToken,
    SmsCode,
    User,
    hash_token,
)
from contexts.identity.domain.ports import IdentityUnitOfWork, RateLimiter, SmsGateway, WeChatLogin
from contexts.shared.domain.errors import Throttled
from contexts.shared.domain.ports import Clock
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Phone


def _info(user: User) -> contracts.UserInfo:
    return contracts.UserInfo(
        id=user.id,
        nickname=user.nickname,
        avatar_url=user.avatar_url,
        phone=user.phone,
        is_staff=user.is_staff,
    )


def login_with_wechat(
    *,
    uow: IdentityUnitOfWork,
    wechat: WeChatLogin,
    clock: Clock,
    token_ttl_seconds: int,
    code: str,
    nickname: str | None = None,
    avatar_url: str | None = None,
) -> contracts.LoginResult:
    """The same WeChat user (openid) is always the same user; every login issues a new token."""
    identity = wechat.identify(code)
    now = clock.now()
    with uow:
        user = uow.users.by_openid(identity.openid)
        if user is None:
            user = User.from_wechat(
                openid=identity.openid, unionid=identity.unionid, nickname=nickname, avatar_url=avatar_url
            )
            uow.users.add(user)
        else:
            user.update_profile(nickname=nickname, avatar_url=avatar_url, unionid=identity.unionid)
            uow.users.save(user)
        token, raw = ApiToken.issue(user_id=user.id, now=now, ttl_seconds=token_ttl_seconds)
        uow.tokens.add(token)
        uow.commit()
    return contracts.LoginResult(token=raw, user=_info(user))


def authenticate(*, uow: IdentityUnitOfWork, clock: Clock, raw_token: str) -> contracts.UserInfo | None:
    """The user a bearer token stands for; None for an unknown, expired or revoked token or an
    inactive user. Records the use at most once a minute (reads take no write transaction)."""
    if not raw_token:
        return None
    now = clock.now()
    found = uow.tokens.by_hash_with_user(hash_token(raw_token))
    if found is None:
        return None
    token, user = found
    if not token.is_active(now) or not user.is_active:
        return None
    if token.touch(now):
        uow.tokens.record_use(token)  # one statement: no transaction of its own
    return _info(user)


def revoke_token(*, uow: IdentityUnitOfWork, clock: Clock, raw_token: str) -> bool:
    """Log out: the token stops working at once. True when it was active."""
    with uow:
        token = uow.tokens.by_hash(hash_token(raw_token or ""))
        if token is None or not token.revoke(clock.now()):
            return False
        uow.tokens.save(token)
        uow.commit()
    return True


def revoke_tokens(*, uow: IdentityUnitOfWork, clock: Clock, token_ids: list[str]) -> int:
    """An operator's revocation (admin): how many tokens were revoked now."""
    revoked = 0
    with uow:
        now = clock.now()
        for token_id in token_ids:
            token = uow.tokens.get(str(token_id))
            if token is not None and token.revoke(now):
                uow.tokens.save(token)
                revoked += 1
        uow.commit()
    return revoked


def get_me(*, uow: IdentityUnitOfWork, user_id: str) -> contracts.UserInfo:
    user = uow.users.get(str(user_id))
    if user is None:
        raise errors.user_not_found()
    return _info(user)


def _sms_throttle_key(phone: str, purpose: str) -> str:
    return f"identity:sms:{purpose}:{phone}"


def request_sms_code(
    *,
    uow: IdentityUnitOfWork,
    sms: SmsGateway,
    limiter: RateLimiter,
    clock: Clock,
    user_id: str,
    phone: str,
    purpose: str,
) -> None:
    """Send a fresh code; one per phone and purpose per 60 s (Throttled). The new code
    supersedes every older one of that phone and purpose."""
    number = Phone(phone)
    if purpose not in SMS_PURPOSES:
        raise errors.invalid_purpose(purpose)
    key = _sms_throttle_key(number.number, purpose)
    if not limiter.acquire(key, SMS_RESEND_SECONDS):
        # The code's key lives SMS_RESEND_SECONDS: a new one is possible at the latest then.
        raise Throttled(
            N_("A code was sent to this phone less than a minute ago."), retry_after=SMS_RESEND_SECONDS
        )
    try:
        with uow:
            if uow.users.get(str(user_id)) is None:
                raise errors.user_not_found()
            code = SmsCode.issue(phone=number, purpose=purpose, now=clock.now())
            uow.sms_codes.add(code)
            sms.send_code(number.number, purpose, code.raw_code)
            uow.commit()
    except Exception:
        limiter.release(key)  # nothing was sent: the caller may try again at once
        raise


def _check_code(uow: IdentityUnitOfWork, *, phone: str, purpose: str, code: str, now) -> bool:
    """Inside a unit of work: try the newest code; a wrong try is saved (and must be committed)."""
    sms_code = uow.sms_codes.latest(phone, purpose)
    if sms_code is None:
        return False
    attempts_before = sms_code.attempts
    ok = sms_code.check(code, now)
    if ok or sms_code.attempts != attempts_before:
        uow.sms_codes.save(sms_code)
    return ok


def verify_sms_code(*, uow: IdentityUnitOfWork, clock: Clock, phone: str, purpose: str, code: str) -> None:
    """Use up a valid code, or raise invalid_sms_code (a wrong code costs one of 5 tries).
    The store context checks a create_store code with it."""
    number = Phone(phone)
    if purpose not in SMS_PURPOSES:
        raise errors.invalid_purpose(purpose)
    with uow:
        ok = _check_code(uow, phone=number.number, purpose=purpose, code=code, now=clock.now())
        uow.commit()  # the used mark, or the spent attempt
    if not ok:
        raise errors.invalid_sms_code()


def bind_phone(
    *, uow: IdentityUnitOfWork, clock: Clock, user_id: str, phone: str, code: str
) -> contracts.UserInfo:
    """Prove the phone with its bind_phone code and make it the user's verified phone."""
    number = Phone(phone)
    with uow:
        user = uow.users.get(str(user_id))
        if user is None:
            raise errors.user_not_found()
        ok = _check_code(uow, phone=number.number, purpose="bind_phone", code=code, now=clock.now())
        if ok:
            owner = uow.users.by_phone(number.number)
            if owner is not None and owner.id != user.id:
                # Rolled back: the code stays usable, nothing changes.
                raise errors.phone_already_bound()
            user.bind_phone(number)
            uow.users.save(user)
        uow.commit()
    if not ok:
        raise errors.invalid_sms_code()
    return _info(user)
