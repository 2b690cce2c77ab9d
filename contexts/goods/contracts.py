"""Published language of goods: what other contexts and the bff receive. All frozen."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class GoodsView:
    id: str
    store_id: str
    name: str
    description: str
    image_urls: tuple[str, ...]
    price_fen: int
    category_id: str | None
    status: str  # "on_sale" | "off_shelf"
    stock: int
    sales: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class CategoryView:
    id: str
    store_id: str
    name: str
    sort: int


@dataclass(frozen=True)
class HotWordView:
    word: str
    sort: int


@dataclass(frozen=True)
class GoodsSnapshot:
    """An immutable copy of goods at `taken_at`, for carts, orders and solitaire items: later
    edits of the goods never change a promise already made to a customer."""

    goods_id: str
    store_id: str
    name: str
    price_fen: int
    image_url: str  # the first image, "" when the goods have none
    taken_at: datetime


# Events goods reacts to (payloads documented by their publishers):
# StoreCreated {"store_id", "owner_id", "name", "phone", "door_image_url", "created_at"} ->
#   default categories for the season of created_at, and default hot words.
