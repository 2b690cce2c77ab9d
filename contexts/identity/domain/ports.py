"""South ports of identity: repositories, the unit of work, and the outside it needs."""

import abc
from dataclasses import dataclass

from contexts.identity.domain.model import ApiToken, SmsCode, User
from contexts.shared.domain.ports import Repository, UnitOfWork


class UserRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, user_id: str) -> User | None: ...

    @abc.abstractmethod
    def by_openid(self, openid: str) -> User | None: ...

    @abc.abstractmethod
    def by_phone(self, phone: str) -> User | None: ...

    @abc.abstractmethod
    def add(self, user: User) -> None: ...

    @abc.abstractmethod
    def save(self, user: User) -> None:
        """Raises Conflict when the phone is already another user's (the database's unique rule)."""


class TokenRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_hash(self, key_hash: str) -> ApiToken | None: ...

    @abc.abstractmethod
    def by_hash_with_user(self, key_hash: str) -> "tuple[ApiToken, User] | None":
        """The token and its user at once: every authenticated request asks this."""

    @abc.abstractmethod
    def get(self, token_id: str) -> ApiToken | None: ...

    @abc.abstractmethod
    def add(self, token: ApiToken) -> None: ...

    @abc.abstractmethod
    def save(self, token: ApiToken) -> None: ...

    @abc.abstractmethod
    def record_use(self, token: ApiToken) -> None:
        """Store last_used_at only, and only while the token is unrevoked: a revocation that
        lands between the read and this write must stay."""


class SmsCodeRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def latest(self, phone: str, purpose: str) -> SmsCode | None:
        """The newest code of that phone and purpose, locked for the transaction."""

    @abc.abstractmethod
    def add(self, sms_code: SmsCode) -> None: ...

    @abc.abstractmethod
    def save(self, sms_code: SmsCode) -> None: ...


class IdentityUnitOfWork(UnitOfWork):
    users: UserRepository
    tokens: TokenRepository
    sms_codes: SmsCodeRepository


@dataclass(frozen=True)
class WeChatIdentity:
    openid: str
    unionid: str | None


class WeChatLogin(abc.ABC):
    @abc.abstractmethod
    def identify(self, code: str) -> WeChatIdentity:
        """Raises InvalidInput(code="invalid_wechat_code") for a code WeChat refuses, UpstreamFailed
        when WeChat cannot be asked."""


class SmsGateway(abc.ABC):
    @abc.abstractmethod
    def send_code(self, phone: str, purpose: str, code: str) -> None:
        """Raises UpstreamFailed(code="sms_failed") when the provider did not send it."""


class RateLimiter(abc.ABC):
    """A lock that expires by itself, shared by every process (the cache)."""

    @abc.abstractmethod
    def acquire(self, key: str, seconds: int) -> bool:
        """True when `key` was free (and is now held for `seconds`), False when held."""

    @abc.abstractmethod
    def release(self, key: str) -> None: ...
