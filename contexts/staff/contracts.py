"""Published language of staff.

Roles: "owner" | "manager" | "clerk". Staff publishes no events; it reacts to StoreCreated
(payload documented in contexts/store/contracts.py): the creator (owner_id) becomes the owner."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StaffMember:
    """A member as GET /stores/{id}/staff shows it."""

    store_id: str
    user_id: str
    nickname: str
    phone: str | None
    role: str
    joined_at: datetime
