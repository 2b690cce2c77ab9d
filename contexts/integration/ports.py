"""Ports of the outside systems. Sandbox and production adapters implement them."""

import abc
from collections.abc import Mapping
from datetime import datetime

from contexts.integration.contracts import (
    GatewayNotification,
    PaymentState,
    RefundReceipt,
    SentSms,
    SubscribeMessage,
    WeChatSession,
)


class WeChatAuth(abc.ABC):
    @abc.abstractmethod
    def code2session(self, code: str) -> WeChatSession:
        """Exchange a wx.login() code; an unknown or used code raises InvalidInput("invalid_wechat_code"),
        WeChat down or the mini-program misconfigured UpstreamFailed("wechat_unavailable")."""


class SmsSender(abc.ABC):
    @abc.abstractmethod
    def send_code(self, phone: str, purpose: str, code: str) -> None:
        """Raises UpstreamFailed(code="sms_failed") when the provider did not take the message."""

    def last_sent(self, phone: str) -> SentSms | None:
        """Only a sandbox can say what it sent."""
        return None


class PaymentGateway(abc.ABC):
    """A payment gateway. Failures to reach it, or answers it should not give, raise
    UpstreamFailed(code="payment_gateway_failed")."""

    name: str = "gateway"

    @abc.abstractmethod
    def create_payment(
        self,
        *,
        payment_id: str,
        order_no: str,
        amount_fen: int,
        description: str,
        payer_openid: str,
        expires_at: datetime | None,
    ) -> dict:
        """Return the prepay parameters the mini-program passes to wx.requestPayment."""

    @abc.abstractmethod
    def parse_notification(self, *, headers: Mapping[str, str], raw_body: bytes) -> GatewayNotification:
        """Check and read a notification as it arrived (`headers` with lower-case names). A
        forged, stale or tampered one raises NotAuthenticated("invalid_signature"); a signed one
        that says nothing we understand raises InvalidInput."""

    @abc.abstractmethod
    def query_payment(self, *, order_no: str) -> PaymentState: ...

    @abc.abstractmethod
    def close_payment(self, *, order_no: str) -> None:
        """The order will not be paid: the gateway stops taking money for it."""

    @abc.abstractmethod
    def refund(
        self, *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, total_fen: int, reason: str
    ) -> RefundReceipt: ...

    def sign(self, raw_body: bytes) -> str:
        """Only the sandbox signs notifications of its own (its payments succeed on request)."""
        raise NotImplementedError("only the sandbox gateway signs notifications")


class SubscribeMessageSender(abc.ABC):
    @abc.abstractmethod
    def send(self, message: SubscribeMessage) -> None:
        """Raises contracts.MessageNotSent when the message was not taken."""

    def send_all(self, messages: list[SubscribeMessage]) -> list[str]:
        """Send each: per message, "" when it was taken, else why not (any failure of one
        message is its own; this never raises for one)."""
        errors = []
        for message in messages:
            try:
                self.send(message)
            except Exception as exc:  # best effort, message by message
                errors.append(f"{type(exc).__name__}: {exc}")
            else:
                errors.append("")
        return errors
