"""Payment (one per order), the gateway's notifications, and refunds: money in and out."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from contexts.ordering.domain.model import Order, _is_int
from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.seedwork import Entity, new_id
from contexts.shared.domain.text import N_

PAYMENT_CREATED = "created"
PAYMENT_SUCCEEDED = "succeeded"
PAYMENT_REFUNDED = "refunded"

# A refund's id is derived from its order: an order is refunded once and in full, so a retry
# after a lost answer asks the gateway for the same refund (gateways deduplicate by this id).
_REFUND_NAMESPACE = uuid.UUID("7c1b9a52-31f4-4d8e-9a65-0c3f5d2e8b10")


def refund_id_for(order_id: str) -> str:
    return str(uuid.uuid5(_REFUND_NAMESPACE, f"refund:{order_id}"))


class RefundFailed(Conflict):
    """The gateway did not confirm the refund: nothing changes, the caller may try again."""

    code = "refund_failed"
    default_detail = "The payment gateway did not refund the payment; try again later."


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

    def refund(self, *, now: datetime, refund_id: str | None = None) -> str:
        self.refund_id = refund_id or new_id()
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
                errors[name] = [N_("A non-empty string is required.")]
        if not _is_int(body.get("amount_fen")):
            errors["amount_fen"] = [N_("An integer is required.")]
        paid_at = body.get("paid_at")
        if paid_at is not None and not isinstance(paid_at, str):
            errors["paid_at"] = [N_("A string is required.")]
        if errors:
            raise InvalidInput(N_("The notification is invalid."), fields=errors)
        return cls(
            payment_id=body["payment_id"],
            order_no=body["order_no"],
            amount_fen=body["amount_fen"],
            status=body["status"],
            transaction_id=body["transaction_id"],
            paid_at=paid_at or "",
        )


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
