"""What other contexts call. Integration has no domain: each function hands the call to the
adapters installed at start-up (IntegrationConfig.ready() installs bootstrap.DjangoAdapters,
which picks sandbox or production adapters per call from settings). This module stays
framework-free, so callers reach no Django and no adapter through it."""

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from contexts.integration.contracts import (
    GatewayNotification,
    PaymentState,
    RefundReceipt,
    SentSms,
    SubscribeMessage,
    WeChatSession,
)
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
    """UpstreamFailed(code="sms_failed") when the provider did not take the message."""
    _use().sms_sender().send_code(phone, purpose, code)


def last_sandbox_sms(*, phone: str) -> SentSms | None:
    """The last code the sandbox sent to `phone`; None outside the sandbox."""
    adapters = _use()
    if not adapters.sandbox_on():
        return None
    return adapters.sms_sender().last_sent(phone)


def payment_gateway_name() -> str:
    return _use().payment_gateway().name


def create_payment(
    *,
    payment_id: str,
    order_no: str,
    amount_fen: int,
    description: str,
    payer_openid: str = "",
    expires_at: datetime | None = None,
) -> dict:
    """The prepay parameters for wx.requestPayment. UpstreamFailed(code="payment_gateway_failed")
    when the gateway does not open the payment."""
    return (
        _use()
        .payment_gateway()
        .create_payment(
            payment_id=payment_id,
            order_no=order_no,
            amount_fen=amount_fen,
            description=description,
            payer_openid=payer_openid,
            expires_at=expires_at,
        )
    )


def parse_payment_notification(*, headers: Mapping[str, str], raw_body: bytes) -> GatewayNotification:
    """The gateway's notification, checked and normalized. `headers` as received (any case). A
    forged, stale or tampered one raises NotAuthenticated(code="invalid_signature")."""
    lower = {str(name).lower(): str(value) for name, value in headers.items()}
    return _use().payment_gateway().parse_notification(headers=lower, raw_body=raw_body)


def sign_payment_notification(*, raw_body: bytes) -> str:
    """The sandbox's X-Signature of a notification body (the sandbox only)."""
    return _use().payment_gateway().sign(raw_body)


def query_payment(*, order_no: str) -> PaymentState:
    return _use().payment_gateway().query_payment(order_no=order_no)


def close_payment(*, order_no: str) -> None:
    _use().payment_gateway().close_payment(order_no=order_no)


def refund_payment(
    *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, total_fen: int, reason: str = ""
) -> RefundReceipt:
    return (
        _use()
        .payment_gateway()
        .refund(
            payment_id=payment_id,
            order_no=order_no,
            refund_id=refund_id,
            amount_fen=amount_fen,
            total_fen=total_fen,
            reason=reason,
        )
    )


def send_subscribe_messages(*, messages: list[Mapping[str, object]]) -> list[str]:
    """send_subscribe_message of each (`messages` are its keyword arguments), as the channel
    sends many at once: per message, "" when it was taken, else why not. Never raises for one
    message."""
    sender = _use().subscribe_message_sender()
    return sender.send_all([SubscribeMessage(**message) for message in messages])  # type: ignore[arg-type]


def send_subscribe_message(*, touser: str, template_id: str, page: str, data: dict) -> None:
    """WeChat's subscribeMessage.send: `touser` is an openid, `data` is {key: {"value": str}}.
    Raises contracts.MessageNotSent when the message was not taken."""
    _use().subscribe_message_sender().send(
        SubscribeMessage(touser=touser, template_id=template_id, page=page, data=data)
    )
