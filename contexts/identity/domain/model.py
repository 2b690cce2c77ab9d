"""Users, their API tokens and the SMS codes that prove a phone. Pure Python."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id
from contexts.shared.domain.values import Phone

SMS_PURPOSES = ("bind_phone", "create_store")
SMS_CODE_TTL = timedelta(minutes=5)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_RESEND_SECONDS = 60
TOKEN_TOUCH_INTERVAL = timedelta(seconds=60)


def is_valid_id(value) -> bool:
    """Ids are UUIDs; anything else names no user, token or code."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def hash_token(raw_token: str) -> str:
    """Only this hash is stored: a leaked table gives no usable token."""
    return sha256_hex(raw_token)


def username_for_openid(openid: str) -> str:
    return "wx_" + sha256_hex(openid)[:32]


@dataclass(eq=False, kw_only=True)
class User(AggregateRoot):
    openid: str | None = None
    unionid: str | None = None
    nickname: str = ""
    avatar_url: str = ""
    phone: str | None = None
    username: str = ""
    is_staff: bool = False
    is_active: bool = True

    @classmethod
    def from_wechat(cls, *, openid: str, unionid: str | None, nickname: str | None, avatar_url: str | None):
        return cls(
            id=new_id(),
            openid=openid,
            unionid=unionid,
            nickname=nickname or "",
            avatar_url=avatar_url or "",
            username=username_for_openid(openid),
        )

    def update_profile(self, *, nickname: str | None, avatar_url: str | None, unionid: str | None) -> None:
        if nickname is not None:
            self.nickname = nickname
        if avatar_url is not None:
            self.avatar_url = avatar_url
        if unionid:
            self.unionid = unionid

    def bind_phone(self, phone: Phone) -> None:
        self.phone = phone.number


@dataclass(eq=False, kw_only=True)
class ApiToken(Entity):
    user_id: str
    key_hash: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @classmethod
    def issue(cls, *, user_id: str, now: datetime, ttl_seconds: int) -> tuple["ApiToken", str]:
        """A new token and its raw value, which is given out once and never stored."""
        raw = secrets.token_urlsafe(32)
        token = cls(
            id=new_id(),
            user_id=user_id,
            key_hash=hash_token(raw),
            created_at=now,
            expires_at=now + timedelta(seconds=ttl_seconds),
        )
        return token, raw

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoke(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        self.revoked_at = now
        return True

    def touch(self, now: datetime) -> bool:
        """Record a use, at most once per TOKEN_TOUCH_INTERVAL; True when it changed."""
        if self.last_used_at is not None and now - self.last_used_at < TOKEN_TOUCH_INTERVAL:
            return False
        self.last_used_at = now
        return True


@dataclass(eq=False, kw_only=True)
class SmsCode(Entity):
    """One code sent to one phone for one purpose. Only the newest of a phone and purpose
    counts (a new code supersedes older ones); it dies when used, expired or tried 5 times."""

    phone: str
    purpose: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    _raw: str | None = field(default=None, repr=False)

    @classmethod
    def issue(cls, *, phone: Phone, purpose: str, now: datetime) -> "SmsCode":
        code_id = new_id()
        raw = f"{secrets.randbelow(10**6):06d}"
        sms = cls(
            id=code_id,
            phone=phone.number,
            purpose=purpose,
            code_hash=cls.hash(code_id, raw),
            created_at=now,
            expires_at=now + SMS_CODE_TTL,
        )
        sms._raw = raw
        return sms

    @property
    def raw_code(self) -> str:
        """The plain code, known only to the instance just issued (to be sent)."""
        if self._raw is None:
            raise ValueError("the plain code is known only when issued")
        return self._raw

    @staticmethod
    def hash(code_id: str, raw: str) -> str:
        return sha256_hex(f"{code_id}:{raw}")

    def is_alive(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at and self.attempts < SMS_CODE_MAX_ATTEMPTS

    def check(self, raw: str, now: datetime) -> bool:
        """Try `raw`: True and used on a match; a wrong code costs one attempt; a dead code
        accepts nothing and changes nothing."""
        if not self.is_alive(now):
            return False
        if hmac.compare_digest(self.code_hash, self.hash(self.id, str(raw))):
            self.used_at = now
            return True
        self.attempts += 1
        return False
