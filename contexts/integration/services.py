"""What other contexts call. Integration has no domain: each function hands the call to the
adapters installed at start-up (IntegrationConfig.ready() installs bootstrap.DjangoAdapters,
which picks sandbox or production adapters per call from settings). This module stays
framework-free, so callers reach no Django and no adapter through it."""

from typing import Protocol

from contexts.integration.contracts import SentSms, SubscribeMessage, WeChatSession
from contexts.integration.ports import PaymentGateway, SmsSender, SubscribeMessageSender, WeChatAuth


class Adapters(Protocol):
    def sandbox_on(self) -> bool: ...

    def wechat(self) -> WeChatAuth: ...

    def sms_sender(self) -> SmsSender: ...

    def payment_gateway(self) -> PaymentGateway: ...

    def subscribe_message_sender(self) -> SubscribeMessageSender: ...


_adapters: Adapters | None = None


def install(adapters: Adapters) -> Adapters | None:
    """Install the adapters; returns the previous ones (tests put them back)."""
    global _adapters
    previous, _adapters = _adapters, adapters
    return previous


def _use() -> Adapters:
    if _adapters is None:
        raise RuntimeError("integration adapters are not installed (IntegrationConfig.ready)")
    return _adapters


def code2session(*, code: str) -> WeChatSession:
    """Raises InvalidInput(code="invalid_wechat_code") for a code WeChat refuses."""
    return _use().wechat().code2session(code)


def send_sms_code(*, phone: str, purpose: str, code: str) -> None:
    _use().sms_sender().send_code(phone, purpose, code)


def last_sandbox_sms(*, phone: str) -> SentSms | None:
    """The last code the sandbox sent to `phone`; None outside the sandbox."""
    adapters = _use()
    if not adapters.sandbox_on():
        return None
    return adapters.sms_sender().last_sent(phone)


def payment_gateway_name() -> str:
    return _use().payment_gateway().name


def create_payment(*, payment_id: str, order_no: str, amount_fen: int, description: str) -> dict:
    """The prepay parameters for wx.requestPayment."""
    return _use().payment_gateway().create_payment(payment_id, order_no, amount_fen, description)


def verify_payment_notification(*, raw_body: bytes, signature: str) -> dict:
    """The parsed notification; a bad signature raises NotAuthenticated(code="invalid_signature")."""
    return _use().payment_gateway().verify_notification(raw_body, signature)


def sign_payment_notification(*, raw_body: bytes) -> str:
    return _use().payment_gateway().sign(raw_body)


def refund_payment(*, payment_id: str, refund_id: str, amount_fen: int) -> dict:
    return _use().payment_gateway().refund(payment_id, refund_id, amount_fen)


def send_subscribe_message(*, touser: str, template_id: str, page: str, data: dict) -> None:
    """WeChat's subscribeMessage.send: `touser` is an openid, `data` is {key: {"value": str}}.
    Raises contracts.MessageNotSent when the message was not taken."""
    _use().subscribe_message_sender().send(
        SubscribeMessage(touser=touser, template_id=template_id, page=page, data=data)
    )
