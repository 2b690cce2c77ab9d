"""Published language of solitaire.

Inputs: ItemInput (one item of POST /stores/{id}/solitaires and PATCH /solitaires/{id}).
Outputs: SolitaireView (the API's Solitaire), ParticipationView.

Events published (aggregate_type "Solitaire", aggregate_id = the solitaire id):
- SolitairePublished {"solitaire_id", "store_id", "title", "start_at", "end_at"} (ISO 8601 with offset)
- SolitaireClosed {"solitaire_id", "store_id", "closed_at"}

Events consumed (from ordering): OrderPaid -> a participation with the order's sequence number;
OrderCancelled / OrderExpired / OrderRefunded -> the order's reserved stock is given back once."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contexts.solitaire.domain.model import KEEP

__all__ = [
    "KEEP",
    "ItemInput",
    "ItemView",
    "ParticipationView",
    "PickupPointView",
    "SolitaireView",
    "StoreBrief",
]


@dataclass(frozen=True)
class ItemInput:
    """On a revision (PATCH) the item is matched by `id` when given, else by `goods_id`; a
    goods_id not yet in the solitaire adds an item (a fresh goods snapshot), and existing items
    left out of the list are removed (only while they have no sales). `price_fen` None is the
    goods price on creation; on a revision KEEP (the default) or None keeps the item's price,
    and KEEP keeps its stock and per_customer_limit (None there means "no limit"). A new item
    needs its stock."""

    goods_id: str = ""
    stock: Any = KEEP
    price_fen: Any = KEEP
    per_customer_limit: Any = KEEP
    id: str | None = None


@dataclass(frozen=True)
class StoreBrief:
    id: str
    name: str
    door_image_url: str


@dataclass(frozen=True)
class PickupPointView:
    id: str
    name: str
    address: dict
    is_default: bool


@dataclass(frozen=True)
class ItemView:
    id: str
    goods_id: str
    name: str
    image_url: str
    price_fen: int
    stock: int
    sold: int
    remaining: int
    per_customer_limit: int | None


@dataclass(frozen=True)
class SolitaireView:
    id: str
    store: StoreBrief
    title: str
    description: str
    status: str
    start_at: datetime
    end_at: datetime
    is_open: bool
    pickup_points: list[PickupPointView]
    items: list[ItemView]
    participant_count: int
    created_at: datetime
    # Only in GET /solitaires?scope=mine: "operator" and/or "participant".
    relation: list[str] | None = field(default=None)


@dataclass(frozen=True)
class ParticipationView:
    sequence_no: int
    nickname: str
    items: list[dict]
    joined_at: datetime
