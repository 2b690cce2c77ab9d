"""The Notification aggregate: what was sent to whom, through which channel, and how it went."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.text import N_

WECHAT_SUBSCRIBE = "wechat_subscribe"

ORDER_PAID = "order_paid"
ORDER_COMPLETED = "order_completed"
ORDER_REFUNDED = "order_refunded"
ORDER_REMINDER = "order_reminder"
SETTLEMENT_COMPLETED = "settlement_completed"
TEMPLATES = (ORDER_PAID, ORDER_COMPLETED, ORDER_REFUNDED, ORDER_REMINDER, SETTLEMENT_COMPLETED)

PENDING = "pending"
SENT = "sent"
FAILED = "failed"

# "Retried a few times": the first try and two scheduled retries; after that it stays failed
# until an operator retries it.
MAX_ATTEMPTS = 3
MAX_ERROR_LENGTH = 1000


class SendFailed(Exception):
    """The channel did not take the message; the text says why."""


@dataclass(eq=False)
class Notification(AggregateRoot):
    channel: str = WECHAT_SUBSCRIBE
    recipient_user_id: str = ""
    template: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    source_event_id: str = ""
    reference: str = ""  # what an operator searches by: the order number (a settlement's id)
    status: str = PENDING
    attempts: int = 0
    error: str = ""
    created_at: datetime | None = None
    sent_at: datetime | None = None

    @classmethod
    def new(
        cls,
        *,
        recipient_user_id: str,
        template: str,
        payload: dict[str, Any],
        source_event_id: str,
        reference: str,
        now: datetime,
    ) -> "Notification":
        if template not in TEMPLATES:
            raise InvalidInput(N_("Unknown notification template {template}.", template=repr(template)))
        if not recipient_user_id:
            raise InvalidInput(N_("A notification needs a recipient."))
        return cls(
            id=new_id(),
            recipient_user_id=str(recipient_user_id),
            template=template,
            payload=dict(payload),
            source_event_id=str(source_event_id),
            reference=reference,
            created_at=now,
        )

    @property
    def retryable(self) -> bool:
        """The schedule's question: failed, with attempts left."""
        return self.status == FAILED and self.attempts < MAX_ATTEMPTS

    def sent(self, *, now: datetime) -> None:
        self.status = SENT
        self.attempts += 1
        self.error = ""
        self.sent_at = now

    def failed(self, *, error: str) -> None:
        self.status = FAILED
        self.attempts += 1
        self.error = (error or "unknown error")[:MAX_ERROR_LENGTH]

    def reset(self) -> None:
        """An operator's retry: a fresh round of attempts."""
        self.status = PENDING
        self.attempts = 0
        self.error = ""


def yuan(fen: int) -> str:
    """12.80元: subscribe messages show amounts as text."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}元"


def order_page(order_id: str) -> str:
    """The mini-program page a tap on the message opens."""
    return f"pages/order/detail?id={order_id}"


def settlement_page(settlement_id: str) -> str:
    return f"pages/merchant/settlement?id={settlement_id}"


def page_of(template: str, payload: dict[str, Any]) -> str:
    """The page of a notification: its settlement's, or its order's."""
    if template == SETTLEMENT_COMPLETED:
        return settlement_page(payload["settlement_id"])
    return order_page(payload["order_id"])
