"""Payment (one per order), the gateway's notifications, and refunds: money in and out."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from contexts.ordering.domain.model import Order
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.seedwork import Entity, new_id
from contexts.shared.domain.text import N_

PAYMENT_CREATED = "created"
PAYMENT_SUCCEEDED = "succeeded"
PAYMENT_REFUNDED = "refunded"

# How a refund ended: at once, or later by the gateway's refund notification.
REFUND_PROCESSING = "processing"
REFUND_SUCCEEDED = "succeeded"
REFUND_ENDINGS = {"SUCCESS": REFUND_SUCCEEDED, "ABNORMAL": "abnormal", "CLOSED": "closed"}

NOTIFIED_PAYMENT = "payment"
NOTIFIED_REFUND = "refund"

# A refund's id is derived from its order: an order is refunded once and in full, so a retry
# after a lost answer asks the gateway for the same refund (gateways deduplicate by this id).
_REFUND_NAMESPACE = uuid.UUID("7c1b9a52-31f4-4d8e-9a65-0c3f5d2e8b10")


def refund_id_for(order_id: str) -> str:
    return str(uuid.uuid5(_REFUND_NAMESPACE, f"refund:{order_id}"))


class RefundFailed(Conflict):
    """The gateway did not confirm the refund: nothing changes, the caller may try again."""

    code = "refund_failed"
    default_detail = N_("The payment gateway did not refund the payment; try again later.")


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
    refund_status: str = ""
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

    def refund(self, *, now: datetime, refund_id: str | None = None) -> str:
        self.refund_id = refund_id or new_id()
        self.status = PAYMENT_REFUNDED
        self.refunded_at = now
        return self.refund_id

    def refund_taken(self, gateway_status: str) -> None:
        """The gateway took the refund: done ("SUCCESS") or under way ("PROCESSING")."""
        self.refund_status = REFUND_SUCCEEDED if gateway_status == "SUCCESS" else REFUND_PROCESSING

    def refund_ended(self, gateway_status: str) -> None:
        """The gateway's refund notification: SUCCESS, ABNORMAL (the money could not go back:
        an operator's case) or CLOSED."""
        self.refund_status = REFUND_ENDINGS.get(gateway_status, gateway_status.lower()[:10])


@dataclass(frozen=True)
class Notification:
    """A payment gateway's word, checked by the gateway's adapter: money arrived for an order
    (kind "payment"), or a refund ended (kind "refund")."""

    kind: str
    order_no: str
    amount_fen: int
    status: str
    transaction_id: str  # the gateway's id of the payment, or of the refund
    occurred_at: str = ""
    payment_id: str | None = None  # when the gateway names our payment (the sandbox)
    refund_id: str | None = None  # our refund id, for a refund
    body: dict = field(default_factory=dict)

    @property
    def log_key(self) -> str:
        """Unique per notified fact: a payment's transaction, or a refund's end."""
        if self.kind == NOTIFIED_REFUND:
            return f"refund:{self.transaction_id}"[:100]
        return self.transaction_id


@dataclass(eq=False)
class Refund(Entity):
    """The record of an order's one refund: what went back, why, who asked, what the gateway said."""

    order_id: str = ""
    payment_id: str = ""
    amount_fen: int = 0
    reason: str = ""
    requested_by: str = ""  # the user id
    requested_by_role: str = ""  # "customer" | "staff"
    gateway_result: dict = field(default_factory=dict)
    created_at: datetime | None = None

    @classmethod
    def of(
        cls,
        *,
        order: Order,
        payment: Payment | None,
        reason: str,
        requested_by: str,
        role: str,
        now: datetime,
    ) -> "Refund":
        if payment is None or payment.status != PAYMENT_SUCCEEDED:
            raise Conflict(N_("The order's payment was not received, so there is nothing to refund."))
        return cls(
            id=refund_id_for(order.id),
            order_id=order.id,
            payment_id=payment.id,
            amount_fen=payment.amount_fen,
            reason=reason,
            requested_by=requested_by,
            requested_by_role=role,
            created_at=now,
        )
