"""In-memory fakes of identity's own ports, and a World that runs its use cases on them."""

import copy
from datetime import timedelta

from contexts.identity import services
from contexts.identity.domain.ports import (
    RateLimiter,
    SmsCodeRepository,
    SmsGateway,
    TokenRepository,
    UserRepository,
    WeChatIdentity,
    WeChatLogin,
)
from contexts.shared.domain.errors import Conflict, InvalidInput
from tests.support.fakes import FakeUnitOfWork, FixedClock

TTL = 3600
PHONE = "13800000001"


class MemoryUsers(UserRepository):
    def __init__(self) -> None:
        self.rows = {}

    def get(self, user_id):
        return copy.deepcopy(self.rows.get(user_id))

    def by_openid(self, openid):
        return next((copy.deepcopy(u) for u in self.rows.values() if u.openid == openid), None)

    def by_phone(self, phone):
        return next((copy.deepcopy(u) for u in self.rows.values() if u.phone == phone), None)

    def add(self, user):
        self.save(user)

    def save(self, user):
        if user.phone and any(u.phone == user.phone and u.id != user.id for u in self.rows.values()):
            raise Conflict("phone already bound")
        self.rows[user.id] = copy.deepcopy(user)


class MemoryTokens(TokenRepository):
    def __init__(self, users: MemoryUsers) -> None:
        self.rows = {}
        self.users = users

    def by_hash_with_user(self, key_hash):
        token = self.by_hash(key_hash)
        user = self.users.get(token.user_id) if token else None
        return (token, user) if user else None

    def by_hash(self, key_hash):
        return next((copy.deepcopy(t) for t in self.rows.values() if t.key_hash == key_hash), None)

    def get(self, token_id):
        return copy.deepcopy(self.rows.get(token_id))

    def add(self, token):
        self.save(token)

    def save(self, token):
        self.rows[token.id] = copy.deepcopy(token)

    def record_use(self, token):
        if self.rows[token.id].revoked_at is None:
            self.rows[token.id].last_used_at = token.last_used_at


class MemorySmsCodes(SmsCodeRepository):
    def __init__(self) -> None:
        self.rows = {}

    def latest(self, phone, purpose):
        mine = [c for c in self.rows.values() if c.phone == phone and c.purpose == purpose]
        return copy.deepcopy(max(mine, key=lambda c: c.created_at)) if mine else None

    def add(self, sms_code):
        self.save(sms_code)

    def save(self, sms_code):
        stored = copy.deepcopy(sms_code)
        stored._raw = None  # the plain code is never stored
        self.rows[sms_code.id] = stored


class FakeWeChat(WeChatLogin):
    def identify(self, code):
        if not code.startswith("wx-"):
            raise InvalidInput("bad code", code="invalid_wechat_code")
        return WeChatIdentity(openid="openid-" + code[3:], unionid=None)


class FakeSms(SmsGateway):
    def __init__(self) -> None:
        self.sent = []
        self.fail = False

    def send_code(self, phone, purpose, code):
        if self.fail:
            raise RuntimeError("provider down")
        self.sent.append((phone, purpose, code))


class FakeLimiter(RateLimiter):
    def __init__(self, clock) -> None:
        self.clock, self.held = clock, {}

    def acquire(self, key, seconds):
        if key in self.held and self.held[key] > self.clock.now():
            return False
        self.held[key] = self.clock.now() + timedelta(seconds=seconds)
        return True

    def release(self, key):
        self.held.pop(key, None)


class World:
    """Identity's use cases on the fakes, with the arguments a test does not care about filled in."""

    def __init__(self) -> None:
        users = MemoryUsers()
        self.uow = FakeUnitOfWork(users=users, tokens=MemoryTokens(users), sms_codes=MemorySmsCodes())
        self.clock, self.wechat, self.sms = FixedClock(), FakeWeChat(), FakeSms()
        self.limiter = FakeLimiter(self.clock)

    def state(self) -> list[dict]:
        """Every stored row's fields (entities compare by id only), to compare before and after a
        use case that must change nothing."""
        repositories = (self.uow.users, self.uow.tokens, self.uow.sms_codes)
        return [{key: vars(row) for key, row in copy.deepcopy(repo.rows).items()} for repo in repositories]

    def login(self, code="wx-alice", **profile):
        return services.login_with_wechat(
            uow=self.uow, wechat=self.wechat, clock=self.clock, token_ttl_seconds=TTL, code=code, **profile
        )

    def authenticate(self, raw):
        return services.authenticate(uow=self.uow, clock=self.clock, raw_token=raw)

    def request_code(self, user_id, phone=PHONE, purpose="bind_phone"):
        services.request_sms_code(
            uow=self.uow,
            sms=self.sms,
            limiter=self.limiter,
            clock=self.clock,
            user_id=user_id,
            phone=phone,
            purpose=purpose,
        )
        return self.sms.sent[-1][2]

    def bind(self, user_id, code, phone=PHONE):
        return services.bind_phone(uow=self.uow, clock=self.clock, user_id=user_id, phone=phone, code=code)

    def verify(self, code, phone=PHONE, purpose="create_store"):
        services.verify_sms_code(uow=self.uow, clock=self.clock, phone=phone, purpose=purpose, code=code)
