"""Read side of staff, and the one authorization answer of the whole product:
authorize(user_id, store_id, operation) -> role, or PermissionDenied."""

from contexts.identity import queries as identity_queries
from contexts.staff.contracts import StaffMember
from contexts.staff.domain import roles
from contexts.staff.models import StoreMember

_ROLE_ORDER = {role: index for index, role in enumerate(roles.ROLES)}


def role_of(user_id: str | None, store_id: str) -> str | None:
    """The role, "owner" | "manager" | "clerk", or None (not staff of that store). One query."""
    if not user_id or not store_id:
        return None
    rows = StoreMember.objects.filter(store_id=store_id, user_id=str(user_id))
    return rows.values_list("role", flat=True).first()


def authorize(user_id: str | None, store_id: str, operation: str) -> str:
    """The caller's role when it may run `operation` in that store; PermissionDenied (403)
    for a non-member or a role the matrix (domain/roles.py) does not allow."""
    roles.allowed_roles(operation)  # an unknown operation fails loudly before any query
    return roles.require(role_of(user_id, store_id), operation)


def may(user_id: str | None, store_id: str, operation: str) -> bool:
    return roles.may(role_of(user_id, store_id), operation)


def store_ids_of(user_id: str | None) -> dict[str, str]:
    """{store_id: role} of every store where the user is staff. One query."""
    if not user_id:
        return {}
    return dict(StoreMember.objects.filter(user_id=str(user_id)).values_list("store_id", "role"))


def staff_user_ids(store_id: str) -> list[str]:
    """Every member's user id, the owner first. One query."""
    rows = StoreMember.objects.filter(store_id=store_id).values_list("user_id", "role", "joined_at")
    ordered = sorted(rows, key=lambda row: (_ROLE_ORDER[row[1]], row[2], row[0]))
    return [user_id for user_id, _role, _joined in ordered]


def members(store_id: str) -> list[StaffMember]:
    """The store's staff with nicknames and phones: owner, managers, clerks, each by joining
    time. Two queries whatever the size (members, then their users at once)."""
    rows = list(StoreMember.objects.filter(store_id=store_id).values("user_id", "role", "joined_at"))
    rows.sort(key=lambda r: (_ROLE_ORDER[r["role"]], r["joined_at"], r["user_id"]))
    users = identity_queries.users_by_ids([row["user_id"] for row in rows])
    result = []
    for row in rows:
        user = users.get(row["user_id"])
        result.append(
            StaffMember(
                store_id=store_id,
                user_id=row["user_id"],
                nickname=user.nickname if user else "",
                phone=user.phone if user else None,
                role=row["role"],
                joined_at=row["joined_at"],
            )
        )
    return result
