"""The Order aggregate and its values: the rules of buying and of what follows (pickup,
completion, refund, reminders), in plain Python. Payments: payment.py; carts: cart.py."""

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contexts.shared.domain.errors import Conflict, InvalidInput, Throttled
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Address, Money, Phone

PENDING_PAYMENT = "pending_payment"
PAID = "paid"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"
STATUSES = (PENDING_PAYMENT, PAID, COMPLETED, CANCELLED, REFUNDED)
STATUS_TEXT = {
    PENDING_PAYMENT: N_("pending payment"),
    PAID: N_("paid"),
    COMPLETED: N_("completed"),
    CANCELLED: N_("cancelled"),
    REFUNDED: N_("refunded"),
}
# The orders that count against a per-customer limit.
COUNTED_STATUSES = (PENDING_PAYMENT, PAID, COMPLETED)

PICKUP = "pickup"
DELIVERY = "delivery"
PICKUP_METHODS = (PICKUP, DELIVERY)

CANCELLED_BY_CUSTOMER = "customer"
CANCELLED_BY_EXPIRY = "expired"

# Who completed or refunded an order (the events' completed_by / refunded_by).
BY_CUSTOMER = "customer"
BY_STAFF = "staff"
BY_SYSTEM = "system"

# A customer is reminded of one order at most once in this interval, whoever asks.
REMIND_INTERVAL = timedelta(minutes=10)
REFUND_REASON_MAX = 200

# Bounds keep every amount inside a 64-bit integer and every quantity inside a 32-bit one.
QUANTITY_MAX = 10_000
PRICE_MAX_FEN = 100_000_000
LINES_MAX = 50
REMARK_MAX = 200
CONTACT_NAME_MAX = 50
NAME_MAX = 100
IMAGE_URL_MAX = 1000

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_quantity(value: Any, field_name: str = "quantity") -> int:
    if not _is_int(value) or not 1 <= value <= QUANTITY_MAX:
        raise InvalidInput(
            N_("quantity must be an integer from 1."),
            fields={field_name: [N_("An integer between 1 and {limit} is required.", limit=QUANTITY_MAX)]},
        )
    return value


def new_order_no(now: datetime) -> str:
    """Readable by people (the day and time of the order) and hard to guess (six random digits)."""
    return now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + f"{secrets.randbelow(10**6):06d}"


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


def check_refund_reason(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > REFUND_REASON_MAX:
        raise InvalidInput(
            N_("A refund needs a reason."),
            fields={
                "reason": [
                    N_(
                        "A reason of 1 to {limit} characters is required.",
                        limit=REFUND_REASON_MAX,
                    )
                ]
            },
        )
    return value.strip()


@dataclass(frozen=True)
class Snapshot:
    """What a customer was promised for one item: copied, never looked up again."""

    goods_id: str
    solitaire_item_id: str | None
    name: str
    image_url: str
    price_fen: int

    def __post_init__(self) -> None:
        if not isinstance(self.goods_id, str) or not self.goods_id:
            raise InvalidInput(
                N_("goods_id is required."), fields={"goods_id": [N_("This field is required.")]}
            )
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput(N_("The item needs a name."), fields={"name": [N_("A name is required.")]})
        if not isinstance(self.image_url, str) or len(self.image_url) > IMAGE_URL_MAX:
            raise InvalidInput(N_("image_url is invalid."), fields={"image_url": [N_("Invalid.")]})
        if not _is_int(self.price_fen) or not 0 <= self.price_fen <= PRICE_MAX_FEN:
            raise InvalidInput(
                N_("price_fen is invalid."), fields={"price_fen": [N_("A price in fen is required.")]}
            )

    @property
    def item_key(self) -> str:
        """Two lines of the same item merge: a solitaire item, or goods bought outside one."""
        return f"s:{self.solitaire_item_id}" if self.solitaire_item_id else f"g:{self.goods_id}"


@dataclass(frozen=True)
class OrderLine:
    snapshot: Snapshot
    quantity: int

    def __post_init__(self) -> None:
        check_quantity(self.quantity)

    @property
    def subtotal(self) -> Money:
        return Money(self.snapshot.price_fen) * self.quantity

    def as_payload(self) -> dict:
        return {
            "goods_id": self.snapshot.goods_id,
            "solitaire_item_id": self.snapshot.solitaire_item_id,
            "name": self.snapshot.name,
            "price_fen": self.snapshot.price_fen,
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class PickupChoice:
    method: str
    pickup_point_id: str | None = None
    address: Address | None = None

    def __post_init__(self) -> None:
        if self.method not in PICKUP_METHODS:
            raise InvalidInput(
                N_("Unknown pickup method."), fields={"pickup": [N_("method must be pickup or delivery.")]}
            )
        if self.method == PICKUP and not self.pickup_point_id:
            raise InvalidInput(
                N_("A pickup needs a pickup point."),
                fields={"pickup": [N_("pickup_point_id is required for pickup.")]},
            )
        if self.method == DELIVERY and self.address is None:
            raise InvalidInput(
                N_("A delivery needs an address."),
                fields={"pickup": [N_("address is required for delivery.")]},
            )

    @classmethod
    def of(cls, *, method: str, pickup_point_id: str | None, address: dict | None) -> "PickupChoice":
        if method == DELIVERY:
            if not isinstance(address, dict):
                raise InvalidInput(
                    N_("A delivery needs an address."),
                    fields={"pickup": [N_("address is required for delivery.")]},
                )
            return cls(method=method, pickup_point_id=None, address=Address.from_dict(address))
        return cls(method=method, pickup_point_id=pickup_point_id or None, address=None)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "pickup_point_id": self.pickup_point_id,
            "address": self.address.as_dict() if self.address else None,
        }


@dataclass(frozen=True)
class ContactInfo:
    name: str
    phone: Phone

    @classmethod
    def of(cls, *, name: Any, phone: Any) -> "ContactInfo":
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > CONTACT_NAME_MAX:
            raise InvalidInput(
                N_("A contact name is required."), fields={"contact": [N_("name is required (50 at most).")]}
            )
        return cls(name=name.strip(), phone=Phone(phone))


def check_lines(lines: list[OrderLine]) -> None:
    if not lines:
        raise InvalidInput(
            N_("An order needs at least one line."), fields={"lines": [N_("At least one line is required.")]}
        )
    if len(lines) > LINES_MAX:
        raise InvalidInput(
            N_("Too many lines."), fields={"lines": [N_("At most {limit} lines.", limit=LINES_MAX)]}
        )
    keys = [line.snapshot.item_key for line in lines]
    if len(set(keys)) != len(keys):
        raise InvalidInput(
            N_("The same item appears twice."), fields={"lines": [N_("Each item may appear once.")]}
        )


@dataclass(frozen=True)
class ResaleTerms:
    """The resale an order is placed through and the brand's terms in force at that moment.
    The order keeps them: a later policy change never changes what this order owes."""

    resale_id: str
    affiliate_store_id: str
    commission_bps: int
    billing_cycle: str

    def __post_init__(self) -> None:
        if not self.resale_id or not self.affiliate_store_id:
            raise ValueError("a resale names itself and its affiliate store")
        if isinstance(self.commission_bps, bool) or not 0 <= self.commission_bps <= 10_000:
            raise ValueError("a commission rate is 0..10000 bps")


@dataclass(eq=False)
class Order(AggregateRoot):
    order_no: str = ""
    store_id: str = ""
    solitaire_id: str | None = None
    resale_id: str | None = None
    affiliate_store_id: str | None = None
    commission_bps: int = 0
    billing_cycle: str | None = None
    customer_id: str = ""
    lines: tuple[OrderLine, ...] = ()
    pickup: PickupChoice | None = None
    contact: ContactInfo | None = None
    remark: str = ""
    status: str = PENDING_PAYMENT
    idempotency_key: str | None = None
    sequence_no: int | None = None
    pickup_code: str | None = None
    cancel_reason: str = ""
    created_at: datetime | None = None
    expires_at: datetime | None = None
    paid_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    completed_by: str = ""
    refunded_at: datetime | None = None
    refund_reason: str = ""
    last_reminded_at: datetime | None = None

    @classmethod
    def place(
        cls,
        *,
        customer_id: str,
        store_id: str,
        solitaire_id: str | None,
        resale: ResaleTerms | None,
        lines: list[OrderLine],
        pickup: PickupChoice,
        contact: ContactInfo,
        remark: Any,
        idempotency_key: str | None,
        now: datetime,
        payment_timeout_seconds: int,
    ) -> "Order":
        check_lines(lines)
        remark = remark or ""
        if not isinstance(remark, str) or len(remark) > REMARK_MAX:
            raise InvalidInput(
                N_("remark is too long."),
                fields={"remark": [N_("At most {limit} characters.", limit=REMARK_MAX)]},
            )
        return cls(
            id=new_id(),
            order_no=new_order_no(now),
            store_id=store_id,
            solitaire_id=solitaire_id or None,
            resale_id=resale.resale_id if resale else None,
            affiliate_store_id=resale.affiliate_store_id if resale else None,
            commission_bps=resale.commission_bps if resale else 0,
            billing_cycle=resale.billing_cycle if resale else None,
            customer_id=customer_id,
            lines=tuple(lines),
            pickup=pickup,
            contact=contact,
            remark=remark,
            idempotency_key=idempotency_key or None,
            created_at=now,
            expires_at=now + timedelta(seconds=payment_timeout_seconds),
        )

    @property
    def commission(self) -> Money:
        """The affiliate's share of a resale order, rounded half-up once for the order."""
        return self.total.share_bps(self.commission_bps)

    @property
    def total(self) -> Money:
        return sum((line.subtotal for line in self.lines), Money.zero())

    def renumber(self, now: datetime) -> None:
        """A fresh order number after the database found the first one taken."""
        self.order_no = new_order_no(now)

    def is_past_due(self, now: datetime) -> bool:
        return self.status == PENDING_PAYMENT and self.expires_at is not None and now >= self.expires_at

    def require_payable(self, now: datetime) -> None:
        if self.status != PENDING_PAYMENT:
            raise Conflict(N_("An order that is {status} cannot be paid.", status=STATUS_TEXT[self.status]))
        if self.is_past_due(now):
            raise Conflict(N_("The order's payment time is over."))

    def mark_paid(self, *, now: datetime, sequence_no: int | None, pickup_code: str) -> None:
        self._require(PENDING_PAYMENT, N_("An order that is {status} cannot be paid."))
        self.status = PAID
        self.paid_at = now
        self.sequence_no = sequence_no
        self.pickup_code = pickup_code
        self.record("OrderPaid", **self._payload(now))

    def cancel(self, *, now: datetime) -> None:
        self._require(PENDING_PAYMENT, N_("An order that is {status} cannot be cancelled."))
        self._close(now, CANCELLED_BY_CUSTOMER)
        self.record("OrderCancelled", **self._payload(now))

    def expire(self, *, now: datetime) -> None:
        self._require(PENDING_PAYMENT, N_("An order that is {status} cannot be expired."))
        if not self.is_past_due(now):
            raise Conflict(N_("The order's payment time is not over yet."))
        self._close(now, CANCELLED_BY_EXPIRY)
        self.record("OrderExpired", **self._payload(now))

    def complete(self, *, now: datetime, by: str) -> None:
        """Picked up (staff verified the code), received (its customer says so) or overdue (the
        robot): the order is done, and its revenue may be settled."""
        self._require(PAID, N_("An order that is {status} cannot be completed."))
        self.status = COMPLETED
        self.completed_at = now
        self.completed_by = by
        self.record("OrderCompleted", **self._payload(now), completed_by=by)

    def is_due_for_completion(self, cutoff: datetime) -> bool:
        return self.status == PAID and self.paid_at is not None and self.paid_at <= cutoff

    def refund(self, *, now: datetime, refund_id: str, reason: str, by: str) -> None:
        """Only a paid order not yet completed: a completed one's revenue may be settled already."""
        reason = check_refund_reason(reason)
        self._require(PAID, N_("An order that is {status} cannot be refunded."))
        self.status = REFUNDED
        self.refunded_at = now
        self.refund_reason = reason
        self.record(
            "OrderRefunded",
            **self._payload(now),
            refund_id=refund_id,
            reason=self.refund_reason,
            refunded_by=by,
        )

    def request_reminder(self, *, now: datetime, by: str) -> None:
        self._require(PAID, N_("An order that is {status} cannot be reminded."))
        if self.last_reminded_at is not None and now < self.last_reminded_at + REMIND_INTERVAL:
            wait = self.last_reminded_at + REMIND_INTERVAL - now
            raise Throttled(
                N_("This order's customer was reminded less than 10 minutes ago."),
                retry_after=math.ceil(wait.total_seconds()),
            )
        self.last_reminded_at = now
        self.record(
            "OrderReminderRequested",
            order_id=self.id,
            order_no=self.order_no,
            store_id=self.store_id,
            customer_id=self.customer_id,
            requested_by=by,
            occurred_at=now.isoformat(),
        )

    def _close(self, now: datetime, reason: str) -> None:
        self.status = CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason

    def _require(self, status: str, refused: str) -> None:
        """`refused` (marked with N_) says what an order in another status cannot become."""
        if self.status != status:
            raise Conflict(N_(refused, status=STATUS_TEXT[self.status]))

    def _payload(self, now: datetime) -> dict:
        return {
            "order_id": self.id,
            "order_no": self.order_no,
            "store_id": self.store_id,
            "solitaire_id": self.solitaire_id,
            "resale_id": self.resale_id,
            "affiliate_store_id": self.affiliate_store_id,
            "commission_bps": self.commission_bps,
            "commission_fen": self.commission.fen,
            "billing_cycle": self.billing_cycle,
            "customer_id": self.customer_id,
            "sequence_no": self.sequence_no,
            "total_fen": self.total.fen,
            "lines": [line.as_payload() for line in self.lines],
            "contact_phone": self.contact.phone.number if self.contact else "",
            "occurred_at": now.isoformat(),
        }
