"""Order, Payment and Cart: the rules of buying, in plain Python."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id
from contexts.shared.domain.values import Address, Money, Phone

PENDING_PAYMENT = "pending_payment"
PAID = "paid"
COMPLETED = "completed"
CANCELLED = "cancelled"
REFUNDED = "refunded"
STATUSES = (PENDING_PAYMENT, PAID, COMPLETED, CANCELLED, REFUNDED)
# The orders that count against a per-customer limit.
COUNTED_STATUSES = (PENDING_PAYMENT, PAID, COMPLETED)

PICKUP = "pickup"
DELIVERY = "delivery"
PICKUP_METHODS = (PICKUP, DELIVERY)

CANCELLED_BY_CUSTOMER = "customer"
CANCELLED_BY_EXPIRY = "expired"

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
            "quantity must be an integer from 1.",
            fields={field_name: [f"An integer between 1 and {QUANTITY_MAX} is required."]},
        )
    return value


def new_order_no(now: datetime) -> str:
    """Readable by people (the day and time of the order) and hard to guess (six random digits)."""
    return now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + f"{secrets.randbelow(10**6):06d}"


def new_pickup_code() -> str:
    return f"{secrets.randbelow(10**8):08d}"


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
            raise InvalidInput("goods_id is required.", fields={"goods_id": ["This field is required."]})
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput("The item needs a name.", fields={"name": ["A name is required."]})
        if not isinstance(self.image_url, str) or len(self.image_url) > IMAGE_URL_MAX:
            raise InvalidInput("image_url is invalid.", fields={"image_url": ["Invalid."]})
        if not _is_int(self.price_fen) or not 0 <= self.price_fen <= PRICE_MAX_FEN:
            raise InvalidInput("price_fen is invalid.", fields={"price_fen": ["A price in fen is required."]})

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
                "Unknown pickup method.", fields={"pickup": ["method must be pickup or delivery."]}
            )
        if self.method == PICKUP and not self.pickup_point_id:
            raise InvalidInput(
                "A pickup needs a pickup point.",
                fields={"pickup": ["pickup_point_id is required for pickup."]},
            )
        if self.method == DELIVERY and self.address is None:
            raise InvalidInput(
                "A delivery needs an address.", fields={"pickup": ["address is required for delivery."]}
            )

    @classmethod
    def of(cls, *, method: str, pickup_point_id: str | None, address: dict | None) -> "PickupChoice":
        if method == DELIVERY:
            if not isinstance(address, dict):
                raise InvalidInput(
                    "A delivery needs an address.", fields={"pickup": ["address is required for delivery."]}
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
                "A contact name is required.", fields={"contact": ["name is required (50 at most)."]}
            )
        return cls(name=name.strip(), phone=Phone(phone))


def check_lines(lines: list[OrderLine]) -> None:
    if not lines:
        raise InvalidInput(
            "An order needs at least one line.", fields={"lines": ["At least one line is required."]}
        )
    if len(lines) > LINES_MAX:
        raise InvalidInput("Too many lines.", fields={"lines": [f"At most {LINES_MAX} lines."]})
    keys = [line.snapshot.item_key for line in lines]
    if len(set(keys)) != len(keys):
        raise InvalidInput("The same item appears twice.", fields={"lines": ["Each item may appear once."]})


@dataclass(eq=False)
class Order(AggregateRoot):
    order_no: str = ""
    store_id: str = ""
    solitaire_id: str | None = None
    resale_id: str | None = None
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

    @classmethod
    def place(
        cls,
        *,
        customer_id: str,
        store_id: str,
        solitaire_id: str | None,
        resale_id: str | None,
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
                "remark is too long.", fields={"remark": [f"At most {REMARK_MAX} characters."]}
            )
        return cls(
            id=new_id(),
            order_no=new_order_no(now),
            store_id=store_id,
            solitaire_id=solitaire_id or None,
            resale_id=resale_id or None,
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
    def total(self) -> Money:
        return sum((line.subtotal for line in self.lines), Money.zero())

    def renumber(self, now: datetime) -> None:
        """A fresh order number after the database found the first one taken."""
        self.order_no = new_order_no(now)

    def is_past_due(self, now: datetime) -> bool:
        return self.status == PENDING_PAYMENT and self.expires_at is not None and now >= self.expires_at

    def require_payable(self, now: datetime) -> None:
        if self.status != PENDING_PAYMENT:
            raise Conflict(f"An order that is {self.status} cannot be paid.")
        if self.is_past_due(now):
            raise Conflict("The order's payment time is over.")

    def mark_paid(self, *, now: datetime, sequence_no: int | None, pickup_code: str) -> None:
        self._require(PENDING_PAYMENT, "paid")
        self.status = PAID
        self.paid_at = now
        self.sequence_no = sequence_no
        self.pickup_code = pickup_code
        self.record("OrderPaid", **self._payload(now))

    def cancel(self, *, now: datetime) -> None:
        self._require(PENDING_PAYMENT, "cancelled")
        self._close(now, CANCELLED_BY_CUSTOMER)
        self.record("OrderCancelled", **self._payload(now))

    def expire(self, *, now: datetime) -> None:
        self._require(PENDING_PAYMENT, "expired")
        if not self.is_past_due(now):
            raise Conflict("The order's payment time is not over yet.")
        self._close(now, CANCELLED_BY_EXPIRY)
        self.record("OrderExpired", **self._payload(now))

    def _close(self, now: datetime, reason: str) -> None:
        self.status = CANCELLED
        self.cancelled_at = now
        self.cancel_reason = reason

    def _require(self, status: str, action: str) -> None:
        if self.status != status:
            raise Conflict(f"An order that is {self.status} cannot be {action}.")

    def _payload(self, now: datetime) -> dict:
        return {
            "order_id": self.id,
            "order_no": self.order_no,
            "store_id": self.store_id,
            "solitaire_id": self.solitaire_id,
            "resale_id": self.resale_id,
            "customer_id": self.customer_id,
            "sequence_no": self.sequence_no,
            "total_fen": self.total.fen,
            "lines": [line.as_payload() for line in self.lines],
            "contact_phone": self.contact.phone.number if self.contact else "",
            "occurred_at": now.isoformat(),
        }


PAYMENT_CREATED = "created"
PAYMENT_SUCCEEDED = "succeeded"
PAYMENT_REFUNDED = "refunded"


@dataclass(eq=False)
class Payment(Entity):
    """One per order: asking to pay again hands out the same prepay parameters."""

    order_id: str = ""
    order_no: str = ""
    amount_fen: int = 0
    gateway: str = ""
    prepay: dict = field(default_factory=dict)
    status: str = PAYMENT_CREATED
    transaction_id: str | None = None
    refund_id: str | None = None
    created_at: datetime | None = None
    paid_at: datetime | None = None
    refunded_at: datetime | None = None

    @classmethod
    def open(cls, *, order: Order, gateway: str, now: datetime) -> "Payment":
        return cls(
            id=new_id(),
            order_id=order.id,
            order_no=order.order_no,
            amount_fen=order.total.fen,
            gateway=gateway,
            created_at=now,
        )

    def succeed(self, *, transaction_id: str, now: datetime) -> None:
        if self.status == PAYMENT_CREATED:
            self.status = PAYMENT_SUCCEEDED
            self.transaction_id = transaction_id
            self.paid_at = now

    def refund(self, *, now: datetime) -> str:
        self.refund_id = new_id()
        self.status = PAYMENT_REFUNDED
        self.refunded_at = now
        return self.refund_id


@dataclass(frozen=True)
class Notification:
    """A payment gateway's word that money arrived, checked against our payment."""

    payment_id: str
    order_no: str
    amount_fen: int
    status: str
    transaction_id: str
    paid_at: str

    @classmethod
    def parse(cls, body: dict) -> "Notification":
        errors: dict[str, list[str]] = {}
        for name in ("payment_id", "order_no", "status", "transaction_id"):
            value = body.get(name)
            if not isinstance(value, str) or not value or len(value) > 100:
                errors[name] = ["A non-empty string is required."]
        if not _is_int(body.get("amount_fen")):
            errors["amount_fen"] = ["An integer is required."]
        paid_at = body.get("paid_at")
        if paid_at is not None and not isinstance(paid_at, str):
            errors["paid_at"] = ["A string is required."]
        if errors:
            raise InvalidInput("The notification is invalid.", fields=errors)
        return cls(
            payment_id=body["payment_id"],
            order_no=body["order_no"],
            amount_fen=body["amount_fen"],
            status=body["status"],
            transaction_id=body["transaction_id"],
            paid_at=paid_at or "",
        )


@dataclass(eq=False)
class CartLine(Entity):
    cart_id: str = ""
    snapshot: Snapshot | None = None
    quantity: int = 1

    def change_quantity(self, quantity: Any) -> None:
        self.quantity = check_quantity(quantity)


@dataclass(eq=False)
class Cart(AggregateRoot):
    customer_id: str = ""
    store_id: str = ""

    @classmethod
    def open(cls, *, customer_id: str, store_id: str) -> "Cart":
        return cls(id=new_id(), customer_id=customer_id, store_id=store_id)

    def new_line(self, *, snapshot: Snapshot, quantity: Any) -> CartLine:
        return CartLine(id=new_id(), cart_id=self.id, snapshot=snapshot, quantity=check_quantity(quantity))
