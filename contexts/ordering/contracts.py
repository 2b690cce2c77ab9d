"""Published language of ordering: what its use cases take and give, and its events.

Events (aggregate_type "Order", aggregate_id = order id), recorded by the Order aggregate and
written to the outbox in the transaction of the change:
- OrderPaid       when a payment notification marks a pending order paid (sequence_no given then)
- OrderCancelled  when its customer cancels a pending order
- OrderExpired    when the robot cancels a pending order past expires_at
- OrderCompleted  when a paid order completes: staff verified its pickup code, its customer
                  confirmed receipt, or the robot completed it ORDER_AUTO_COMPLETE_DAYS after
                  payment. Once per order (reliable: settlement counts on it).
- OrderRefunded   when a paid, not completed order is refunded in full through the gateway
Payload of each (plain values):
  {"order_id": str, "order_no": str, "store_id": str, "solitaire_id": str | None,
   "resale_id": str | None, "affiliate_store_id": str | None (the reselling store),
   "commission_bps": int (0 without a resale), "commission_fen": int (the order's commission,
   rounded half-up once), "billing_cycle": str | None (the brand's, when placed),
   "customer_id": str, "sequence_no": int | None, "total_fen": int,
   "lines": [{"goods_id": str, "solitaire_item_id": str | None, "name": str, "price_fen": int,
              "quantity": int}],
   "contact_phone": str, "occurred_at": ISO 8601 with offset}
OrderCompleted adds  "completed_by": "customer" | "staff" | "system".
OrderRefunded adds   "refund_id": str (one per order), "reason": str,
                     "refunded_by": "customer" | "staff" (an owner or manager).
occurred_at is the time of the change (paid_at, completed_at, refunded_at, cancelled_at).
Subscribers release stock on OrderCancelled/OrderExpired/OrderRefunded: solitaire for orders
with a solitaire_id, goods for orders without one (goods also undoes sales on OrderRefunded).

- OrderReminderRequested  when staff ask to remind the customer of a paid order (at most one
  per order per 10 minutes; best effort for its subscribers). Payload:
  {"order_id": str, "order_no": str, "store_id": str, "customer_id": str,
   "requested_by": str (the staff member's user id), "occurred_at": ISO 8601 with offset}
"""

from dataclasses import dataclass
from datetime import date, datetime


class IdempotencyKeyTaken(Exception):
    """The customer placed an order under this Idempotency-Key in a transaction that committed
    first. Raised out of the placing use case, whose transaction is rolled back; the caller
    answers with that first order (order_by_idempotency_key)."""


@dataclass(frozen=True)
class LineRequest:
    """One line of an order as its caller priced it (a snapshot taken by that caller)."""

    goods_id: str
    solitaire_item_id: str | None
    name: str
    image_url: str
    price_fen: int
    quantity: int


@dataclass(frozen=True)
class GoodsLineRequest:
    """One line of an order placed outside a solitaire: ordering takes the goods' snapshot."""

    goods_id: str
    quantity: int


@dataclass(frozen=True)
class Pickup:
    method: str  # "pickup" | "delivery"
    pickup_point_id: str | None = None
    address: dict | None = None  # {province, city, district, detail, latitude?, longitude?}


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class OrderLineView:
    goods_id: str
    solitaire_item_id: str | None
    name: str
    image_url: str
    price_fen: int
    quantity: int
    subtotal_fen: int


@dataclass(frozen=True)
class Resale:
    """The resale an order is placed through, with the brand's terms in force now (the caller
    checked them with affiliate); the order keeps them."""

    resale_id: str
    affiliate_store_id: str
    commission_bps: int
    billing_cycle: str


@dataclass(frozen=True)
class ResaleTotals:
    """Paid and completed orders placed through one resale, and their commissions."""

    order_count: int
    commission_fen: int


@dataclass(frozen=True)
class OrderView:
    """API.md's Order. pickup_code is filled only for the order's own customer."""

    id: str
    order_no: str
    store_id: str
    solitaire_id: str | None
    resale_id: str | None
    customer_id: str
    status: str
    lines: tuple[OrderLineView, ...]
    total_fen: int
    pickup: dict  # {method, pickup_point_id, address}
    contact: dict  # {name, phone}
    remark: str
    sequence_no: int | None
    pickup_code: str | None
    created_at: datetime
    expires_at: datetime
    paid_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    # Beyond API.md's Order: when it was refunded, and the reason given.
    refunded_at: datetime | None = None
    refund_reason: str = ""


@dataclass(frozen=True)
class PaymentView:
    payment_id: str
    amount_fen: int
    gateway: str
    prepay: dict


@dataclass(frozen=True)
class CartLineView:
    id: str
    goods_id: str
    solitaire_item_id: str | None
    name: str
    image_url: str
    price_fen: int
    quantity: int
    subtotal_fen: int


@dataclass(frozen=True)
class CartView:
    store_id: str
    lines: tuple[CartLineView, ...]
    total_fen: int


# What POST /payments/notify answers for a handled, a replayed or a late notification alike.
NOTIFY_SUCCESS = {"code": "SUCCESS"}


@dataclass(frozen=True)
class ExportedOrder:
    """An order as the store's export lists it (queries.export_orders)."""

    id: str
    order_no: str
    customer_id: str
    sequence_no: int | None
    contact_name: str
    contact_phone: str
    total_fen: int
    status: str
    pickup_method: str
    pickup_point_id: str | None
    pickup_address: dict | None
    paid_at: datetime | None
    items: tuple[tuple[str, int], ...]  # (name, quantity) in the order's line order


# ---- The operators' dashboard (queries.sales_by_day and friends): days are local dates.


@dataclass(frozen=True)
class Sales:
    """Orders paid in a period (GMV counts an order by its payment, refunded or not later)."""

    gmv_fen: int
    paid_orders: int
    participants: int  # distinct paying customers


@dataclass(frozen=True)
class DailySales(Sales):
    day: date


@dataclass(frozen=True)
class DailyRefunds:
    day: date
    refunds: int
    amount_fen: int


@dataclass(frozen=True)
class StoreSales:
    store_id: str
    gmv_fen: int
    paid_orders: int
