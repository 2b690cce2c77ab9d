"""Published language of the integration context: what its services take and give."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class WeChatSession:
    """The answer of WeChat's code2session. `session_key` never leaves the server."""

    openid: str
    unionid: str | None
    session_key: str


@dataclass(frozen=True)
class SentSms:
    phone: str
    purpose: str
    code: str
    sent_at: datetime


@dataclass(frozen=True)
class SubscribeMessage:
    """One WeChat subscribe message, shaped after subscribeMessage.send: `touser` is the
    recipient's openid, `data` maps the template's keys to {"value": str}."""

    touser: str
    template_id: str
    page: str
    data: dict


class MessageNotSent(RuntimeError):
    """WeChat (or the sandbox told to fail) refused or did not take the message."""


@dataclass(frozen=True)
class GatewayNotification:
    """A payment gateway's notification, checked and normalized: the same shape whichever
    gateway sent it (the sandbox's HMAC-signed JSON, WeChat Pay's signed, encrypted one)."""

    kind: str  # "payment" (money arrived) | "refund" (a refund ended)
    order_no: str  # our order number (WeChat Pay's out_trade_no)
    amount_fen: int  # what was paid, or what was refunded
    status: str  # payment: the trade state ("SUCCESS"); refund: "SUCCESS" | "ABNORMAL" | "CLOSED"
    transaction_id: str  # the gateway's id of the payment, or of the refund
    occurred_at: str = ""  # as the gateway says (ISO 8601)
    payment_id: str | None = None  # the sandbox names our payment; WeChat Pay names the order
    refund_id: str | None = None  # our refund id (out_refund_no), for a refund
    body: dict = field(default_factory=dict)  # what the gateway said, decrypted (kept with the notification)


@dataclass(frozen=True)
class PaymentState:
    """The gateway's answer to "what became of this order's payment?"."""

    order_no: str
    state: str  # "SUCCESS", "NOTPAY", "CLOSED", "REFUND", ... or "NOT_FOUND"
    transaction_id: str | None = None
    amount_fen: int | None = None
    paid_at: str = ""
    body: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundReceipt:
    """A refund the gateway took: done at once ("SUCCESS") or under way ("PROCESSING"; its
    notification says how it ended)."""

    refund_id: str  # ours (out_refund_no)
    gateway_refund_id: str
    status: str
    amount_fen: int
