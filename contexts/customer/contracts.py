"""Published language of customer.

Events consumed (published by ordering; payload keys read here):
- OrderPaid: order_id, store_id, customer_id (the buyer's user id), total_fen, contact_phone,
  occurred_at (ISO 8601 with offset: the payment time).
- OrderRefunded: order_id, store_id, customer_id, total_fen (the amount uncounted is the one
  recorded when the order was counted).
customer publishes no events."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CustomerView:
    id: str
    store_id: str
    user_id: str
    nickname: str
    phone: str
    order_count: int
    total_spent_fen: int
    first_order_at: datetime | None
    last_order_at: datetime | None
    remark: str
    tags: tuple[str, ...]
