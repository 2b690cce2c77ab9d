"""Sandbox adapters: deterministic, offline, on by default outside production."""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from contexts.integration.contracts import (
    GatewayNotification,
    MessageNotSent,
    PaymentState,
    RefundReceipt,
    SentSms,
    SubscribeMessage,
    WeChatSession,
)
from contexts.integration.models import SandboxMessage, SandboxSms
from contexts.integration.ports import PaymentGateway, SmsSender, SubscribeMessageSender, WeChatAuth
from contexts.shared.domain.errors import InvalidInput, NotAuthenticated
from contexts.shared.domain.text import N_

SANDBOX_CODE_PREFIX = "sandbox-"


class SandboxWeChatAuth(WeChatAuth):
    """Accepts `sandbox-<name>`; the same name is always the same openid."""

    def code2session(self, code: str) -> WeChatSession:
        if not isinstance(code, str) or not code.startswith(SANDBOX_CODE_PREFIX):
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        name = code[len(SANDBOX_CODE_PREFIX) :]
        if not name.strip():
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        digest = hashlib.sha256(name.encode()).hexdigest()
        return WeChatSession(
            openid=f"sandbox-openid-{digest[:24]}",
            unionid=None,
            session_key=f"sandbox-session-{digest[24:48]}",
        )


class SandboxSmsSender(SmsSender):
    """Records every message instead of sending it."""

    def send_code(self, phone: str, purpose: str, code: str) -> None:
        SandboxSms.objects.create(phone=phone, purpose=purpose, code=code, sent_at=timezone.now())

    def last_sent(self, phone: str) -> SentSms | None:
        row = SandboxSms.objects.filter(phone=phone).order_by("-sent_at", "-id").first()
        if row is None:
            return None
        return SentSms(phone=row.phone, purpose=row.purpose, code=row.code, sent_at=row.sent_at)


class SandboxPaymentGateway(PaymentGateway):
    """Signs notifications with hex HMAC-SHA256 of the raw body under a shared secret, sent in
    the X-Signature header; takes every refund at once; knows of no payment by itself (its
    payments succeed through POST /sandbox/payments/{id}/succeed, which notifies at once)."""

    name = "sandbox"

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

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
        return {
            "prepay_id": f"sandbox-prepay-{payment_id}",
            "order_no": order_no,
            "amount_fen": amount_fen,
            "description": description,
            "sandbox": True,
        }

    def sign(self, raw_body: bytes) -> str:
        return hmac.new(self._secret, raw_body, hashlib.sha256).hexdigest()

    def parse_notification(self, *, headers: Mapping[str, str], raw_body: bytes) -> GatewayNotification:
        signature = str(headers.get("x-signature", "")).strip().lower()
        if not signature or not hmac.compare_digest(self.sign(raw_body), signature):
            raise NotAuthenticated(N_("The notification signature is invalid."), code="invalid_signature")
        try:
            body = json.loads(raw_body)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise InvalidInput(N_("The notification body is not JSON.")) from exc
        if not isinstance(body, dict):
            raise InvalidInput(N_("The notification body is not a JSON object."))
        return _sandbox_notification(body)

    def query_payment(self, *, order_no: str) -> PaymentState:
        return PaymentState(order_no=order_no, state="NOTPAY")

    def close_payment(self, *, order_no: str) -> None:
        return None

    def refund(
        self, *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, total_fen: int, reason: str
    ) -> RefundReceipt:
        return RefundReceipt(
            refund_id=refund_id,
            gateway_refund_id=f"sandbox-refund-{refund_id}",
            status="SUCCESS",
            amount_fen=amount_fen,
        )


def _sandbox_notification(body: dict) -> GatewayNotification:
    """{payment_id, order_no, amount_fen, status, transaction_id, paid_at}, every field checked."""
    errors: dict[str, list[str]] = {}
    for name in ("payment_id", "order_no", "status", "transaction_id"):
        value = body.get(name)
        if not isinstance(value, str) or not value or len(value) > 100:
            errors[name] = ["A non-empty string is required."]
    amount = body.get("amount_fen")
    if not isinstance(amount, int) or isinstance(amount, bool):
        errors["amount_fen"] = ["An integer is required."]
    paid_at = body.get("paid_at")
    if paid_at is not None and not isinstance(paid_at, str):
        errors["paid_at"] = ["A string is required."]
    if errors:
        raise InvalidInput(N_("The notification is invalid."), fields=errors)
    return GatewayNotification(
        kind="payment",
        payment_id=body["payment_id"],
        order_no=body["order_no"],
        amount_fen=amount,
        status=body["status"],
        transaction_id=body["transaction_id"],
        occurred_at=paid_at or "",
        body=body,
    )


REFUSED = "sandbox: NOTIFICATION_SANDBOX_FAIL is on (errcode 43101, user refused)"


class SandboxSubscribeMessageSender(SubscribeMessageSender):
    """Records every subscribe message instead of sending it. With the setting
    NOTIFICATION_SANDBOX_FAIL = True (read on every call, so tests and testers can switch it
    while the process runs) it refuses every message as WeChat would, and records nothing."""

    def send(self, message: SubscribeMessage) -> None:
        if getattr(settings, "NOTIFICATION_SANDBOX_FAIL", False):
            raise MessageNotSent(REFUSED)
        SandboxMessage.objects.create(
            touser=message.touser,
            template_id=message.template_id,
            page=message.page,
            data=message.data,
            sent_at=timezone.now(),
        )

    def send_all(self, messages: list[SubscribeMessage]) -> list[str]:
        """All recorded in one insert (or all refused)."""
        if getattr(settings, "NOTIFICATION_SANDBOX_FAIL", False):
            return [f"MessageNotSent: {REFUSED}"] * len(messages)
        now = timezone.now()
        SandboxMessage.objects.bulk_create(
            [
                SandboxMessage(
                    touser=message.touser,
                    template_id=message.template_id,
                    page=message.page,
                    data=message.data,
                    sent_at=now,
                )
                for message in messages
            ]
        )
        return [""] * len(messages)
