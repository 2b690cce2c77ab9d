"""Published language of store.

Events (aggregate_type "Store", aggregate_id = the store id):
- StoreCreated {"store_id": str, "owner_id": str (the creator's user id), "name": str,
  "phone": str, "door_image_url": str ("" when none given), "created_at": ISO 8601 with offset}
- StoreFrozen {"store_id": str}, StoreUnfrozen {"store_id": str} (an operator's admin action)
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoreSummary:
    id: str
    name: str
    status: str
    door_image_url: str
    owner_id: str
    created_at: datetime


@dataclass(frozen=True)
class StoreDetail:
    """The API's store. `phone` is masked (138****0000) for viewers who are not staff."""

    id: str
    name: str
    phone: str
    address: dict
    description: str
    door_image_url: str
    status: str
    created_at: datetime
    my_role: str | None


@dataclass(frozen=True)
class PickupPointInfo:
    id: str
    store_id: str
    name: str
    address: dict
    is_default: bool
