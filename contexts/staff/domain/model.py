"""A user's role in one store. Pure Python."""

from dataclasses import dataclass
from datetime import datetime

from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.text import N_
from contexts.staff.domain.roles import ADDABLE_ROLES, OWNER, ROLE_ERROR


@dataclass(eq=False, kw_only=True)
class StoreMember(AggregateRoot):
    store_id: str
    user_id: str
    role: str
    joined_at: datetime

    @classmethod
    def owner(cls, *, store_id: str, user_id: str, joined_at: datetime) -> "StoreMember":
        return cls(id=new_id(), store_id=store_id, user_id=user_id, role=OWNER, joined_at=joined_at)

    @classmethod
    def hire(cls, *, store_id: str, user_id: str, role: str, joined_at: datetime) -> "StoreMember":
        if role not in ADDABLE_ROLES:
            raise InvalidInput(N_("role must be manager or clerk."), fields={"role": [ROLE_ERROR]})
        return cls(id=new_id(), store_id=store_id, user_id=user_id, role=role, joined_at=joined_at)

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER

    def ensure_removable(self) -> None:
        if self.is_owner:
            raise Conflict(N_("The owner of a store cannot be removed."))
