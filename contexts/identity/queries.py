"""Read side of identity: users as contracts.UserInfo, one query each."""

from collections.abc import Iterable

from contexts.identity.contracts import UserInfo
from contexts.identity.domain.model import is_valid_id as is_uuid
from contexts.identity.models import User

FIELDS = ("id", "nickname", "avatar_url", "phone", "is_staff")


def _info(row: dict) -> UserInfo:
    return UserInfo(
        id=str(row["id"]),
        nickname=row["nickname"],
        avatar_url=row["avatar_url"],
        phone=row["phone"],
        is_staff=row["is_staff"],
    )


def user_info(user_id: str) -> UserInfo | None:
    if not is_uuid(user_id):
        return None
    row = User.objects.filter(pk=user_id).values(*FIELDS).first()
    return _info(row) if row else None


def user_by_phone(phone: str) -> UserInfo | None:
    """The user whose verified phone this is (staff add members by phone)."""
    row = User.objects.filter(phone=phone).values(*FIELDS).first()
    return _info(row) if row else None


def users_by_ids(ids: Iterable[str]) -> dict[str, UserInfo]:
    wanted = {str(i) for i in ids if is_uuid(i)}
    if not wanted:
        return {}
    return {str(row["id"]): _info(row) for row in User.objects.filter(pk__in=wanted).values(*FIELDS)}


def openid_of(user_id: str) -> str | None:
    """The user's WeChat openid (the `touser` of a subscribe message); None for an unknown user
    or one who never logged in with WeChat (an operator)."""
    if not is_uuid(user_id):
        return None
    return User.objects.filter(pk=user_id).values_list("openid", flat=True).first() or None


def openids(user_ids: Iterable[str]) -> dict[str, str]:
    """{user id: WeChat openid} of those of `user_ids` that have one, in one query."""
    wanted = {str(i) for i in user_ids if is_uuid(i)}
    if not wanted:
        return {}
    rows = User.objects.filter(pk__in=wanted).exclude(openid="").values_list("pk", "openid")
    return {str(pk): openid for pk, openid in rows if openid}
