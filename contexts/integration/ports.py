"""Ports of the outside systems. Sandbox and production adapters implement them."""

import abc

from contexts.integration.contracts import SentSms, SubscribeMessage, WeChatSession


class WeChatAuth(abc.ABC):
    @abc.abstractmethod
    def code2session(self, code: str) -> WeChatSession:
        """Exchange a wx.login() code; an unknown or used code raises InvalidInput("invalid_wechat_code")."""


class SmsSender(abc.ABC):
    @abc.abstractmethod
    def send_code(self, phone: str, purpose: str, code: str) -> None: ...

    def last_sent(self, phone: str) -> SentSms | None:
        """Only a sandbox can say what it sent."""
        return None


class PaymentGateway(abc.ABC):
    name: str = "gateway"

    @abc.abstractmethod
    def create_payment(self, payment_id: str, order_no: str, amount_fen: int, description: str) -> dict:
        """Return the prepay parameters the mini-program passes to wx.requestPayment."""

    @abc.abstractmethod
    def verify_notification(self, raw_body: bytes, signature: str) -> dict:
        """Return the parsed notification; a bad signature raises NotAuthenticated("invalid_signature")."""

    @abc.abstractmethod
    def sign(self, raw_body: bytes) -> str: ...

    @abc.abstractmethod
    def refund(self, payment_id: str, refund_id: str, amount_fen: int) -> dict: ...


class SubscribeMessageSender(abc.ABC):
    @abc.abstractmethod
    def send(self, message: SubscribeMessage) -> None:
        """Raises contracts.MessageNotSent when the message was not taken."""
