"""The role matrix: which store roles may run which operation. The one answer to
"may this member do this here?" (queries.authorize reads it)."""

from contexts.shared.domain.errors import PermissionDenied
from contexts.shared.domain.text import N_

OWNER = "owner"
MANAGER = "manager"
CLERK = "clerk"
ROLES = (OWNER, MANAGER, CLERK)
# The owner is the store's creator; nobody is ever added as one.
ADDABLE_ROLES = (MANAGER, CLERK)
ROLE_ERROR = N_("Must be manager or clerk.")

_ALL = frozenset(ROLES)
_OWNER_MANAGER = frozenset({OWNER, MANAGER})
_OWNER = frozenset({OWNER})

PERMISSIONS: dict[str, frozenset[str]] = {
    "store.edit": _OWNER_MANAGER,
    "pickup_point.create": _OWNER_MANAGER,
    "staff.view": _ALL,
    "staff.add_manager": _OWNER,
    "staff.add_clerk": _OWNER_MANAGER,
    "staff.remove": _OWNER,
    "category.create": _OWNER_MANAGER,
    "goods.manage": _OWNER_MANAGER,
    "goods.view_all": _ALL,
    "franchise.view": _ALL,
    "franchise.edit": _OWNER,
    "resale.create": _OWNER_MANAGER,
    "resale.view": _ALL,
    "solitaire.manage": _OWNER_MANAGER,
    "solitaire.view_all": _ALL,
    "orders.view": _ALL,
    "orders.verify_pickup": _ALL,
    "orders.remind": _ALL,
    "orders.refund": _OWNER_MANAGER,
    "orders.export": _OWNER_MANAGER,
    "customers.view": _ALL,
    "customers.edit": _OWNER_MANAGER,
    "account.view": _ALL,
}


def allowed_roles(operation: str) -> frozenset[str]:
    try:
        return PERMISSIONS[operation]
    except KeyError:
        # A typo in an operation name is a programming error, never a silent denial.
        raise ValueError(f"unknown store operation {operation!r}") from None


def may(role: str | None, operation: str) -> bool:
    allowed = allowed_roles(operation)
    return role is not None and role in allowed


def require(role: str | None, operation: str) -> str:
    """The role itself when it may run `operation`; PermissionDenied otherwise."""
    if not may(role, operation):
        raise PermissionDenied()
    return role  # type: ignore[return-value]
