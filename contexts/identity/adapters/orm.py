"""Repositories and mappers model <-> domain, and the identity unit of work."""

from django.db import IntegrityError, transaction

from contexts.identity import models
from contexts.identity.domain import errors
from contexts.identity.domain.model import ApiToken, SmsCode, User
from contexts.identity.domain.model import is_valid_id as is_uuid
from contexts.identity.domain.ports import (
    IdentityUnitOfWork,
    SmsCodeRepository,
    TokenRepository,
    UserRepository,
)
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork

USER_FIELDS = ("openid", "unionid", "nickname", "avatar_url", "phone")
TOKEN_COLUMNS = ("id", "user_id", "key_hash", "created_at", "expires_at", "revoked_at", "last_used_at")
USER_COLUMNS = ("id", *USER_FIELDS, "username", "is_staff", "is_active")
TOKEN_WITH_USER = (
    "SELECT "
    + ", ".join([*(f"t.{name}" for name in TOKEN_COLUMNS), *(f"u.{name}" for name in USER_COLUMNS)])
    + " FROM identity_apitoken t INNER JOIN identity_user u ON u.id = t.user_id WHERE t.key_hash = %s"
)
TOKEN_WITH_USER_FIELDS = sql.Columns(
    *(sql.column(models.ApiToken, name) for name in TOKEN_COLUMNS),
    *(sql.column(models.User, name) for name in USER_COLUMNS),
)


def user_to_domain(row: models.User) -> User:
    return User(
        id=str(row.pk),
        openid=row.openid,
        unionid=row.unionid,
        nickname=row.nickname,
        avatar_url=row.avatar_url,
        phone=row.phone,
        username=row.username,
        is_staff=row.is_staff,
        is_active=row.is_active,
    )


def token_to_domain(row: models.ApiToken) -> ApiToken:
    return ApiToken(
        id=str(row.pk),
        user_id=str(row.user_id),
        key_hash=row.key_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def sms_code_to_domain(row: models.SmsCode) -> SmsCode:
    return SmsCode(
        id=str(row.pk),
        phone=row.phone,
        purpose=row.purpose,
        code_hash=row.code_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        attempts=row.attempts,
        used_at=row.used_at,
    )


class DjangoUserRepository(UserRepository):
    def get(self, user_id: str) -> User | None:
        row = models.User.objects.filter(pk=user_id).first() if is_uuid(user_id) else None
        return user_to_domain(row) if row else None

    def by_openid(self, openid: str) -> User | None:
        row = models.User.objects.filter(openid=openid).first()
        return user_to_domain(row) if row else None

    def by_phone(self, phone: str) -> User | None:
        row = models.User.objects.filter(phone=phone).first()
        return user_to_domain(row) if row else None

    def add(self, user: User) -> None:
        row = models.User(id=user.id, username=user.username, **{f: getattr(user, f) for f in USER_FIELDS})
        row.set_unusable_password()
        self._write(lambda: row.save(force_insert=True))

    def save(self, user: User) -> None:
        values = {f: getattr(user, f) for f in USER_FIELDS}
        self._write(lambda: models.User.objects.filter(pk=user.id).update(**values))

    @staticmethod
    def _write(write) -> None:
        try:
            with transaction.atomic():  # a savepoint: the outer transaction survives the error
                write()
        except IntegrityError as exc:
            if "phone" in str(exc):
                raise errors.phone_already_bound() from exc
            raise


class DjangoTokenRepository(TokenRepository):
    def by_hash(self, key_hash: str) -> ApiToken | None:
        row = models.ApiToken.objects.filter(key_hash=key_hash).first()
        return token_to_domain(row) if row else None

    def by_hash_with_user(self, key_hash: str) -> tuple[ApiToken, User] | None:
        # Every authenticated request asks this: hand-written SQL (see contexts.shared.adapters.sql).
        rows = sql.fetch(TOKEN_WITH_USER, [key_hash], TOKEN_WITH_USER_FIELDS)
        if not rows:
            return None
        token = dict(zip(TOKEN_COLUMNS, rows[0][: len(TOKEN_COLUMNS)], strict=True))
        user = dict(zip(USER_COLUMNS, rows[0][len(TOKEN_COLUMNS) :], strict=True))
        token["id"], token["user_id"], user["id"] = str(token["id"]), str(token["user_id"]), str(user["id"])
        return ApiToken(**token), User(**user)

    def get(self, token_id: str) -> ApiToken | None:
        row = models.ApiToken.objects.filter(pk=token_id).first() if is_uuid(token_id) else None
        return token_to_domain(row) if row else None

    def add(self, token: ApiToken) -> None:
        models.ApiToken.objects.create(
            id=token.id,
            user_id=token.user_id,
            key_hash=token.key_hash,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
        )

    def save(self, token: ApiToken) -> None:
        models.ApiToken.objects.filter(pk=token.id).update(
            revoked_at=token.revoked_at, last_used_at=token.last_used_at, expires_at=token.expires_at
        )

    def record_use(self, token: ApiToken) -> None:
        sql.execute(
            "UPDATE identity_apitoken SET last_used_at = %s WHERE id = %s AND revoked_at IS NULL",
            [
                sql.value(models.ApiToken, "last_used_at", token.last_used_at),
                sql.value(models.ApiToken, "id", token.id),
            ],
        )


class DjangoSmsCodeRepository(SmsCodeRepository):
    def latest(self, phone: str, purpose: str) -> SmsCode | None:
        row = (
            models.SmsCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose)
            .order_by("-created_at")
            .first()
        )
        return sms_code_to_domain(row) if row else None

    def add(self, sms_code: SmsCode) -> None:
        models.SmsCode.objects.create(
            id=sms_code.id,
            phone=sms_code.phone,
            purpose=sms_code.purpose,
            code_hash=sms_code.code_hash,
            created_at=sms_code.created_at,
            expires_at=sms_code.expires_at,
            attempts=sms_code.attempts,
            used_at=sms_code.used_at,
        )

    def save(self, sms_code: SmsCode) -> None:
        models.SmsCode.objects.filter(pk=sms_code.id).update(
            attempts=sms_code.attempts, used_at=sms_code.used_at
        )


class DjangoIdentityUow(DjangoUnitOfWork, IdentityUnitOfWork):
    def __init__(self) -> None:
        self.users = DjangoUserRepository()
        self.tokens = DjangoTokenRepository()
        self.sms_codes = DjangoSmsCodeRepository()
