"""The integration context's sandbox adapters and its adapter choice (what identity calls)."""

import hashlib
import hmac
import json

import pytest
from django.test import override_settings

from contexts.integration import bootstrap
from contexts.integration import services as integration
from contexts.integration.contracts import GatewayNotification, RefundReceipt
from contexts.shared.domain.errors import InvalidInput, NotAuthenticated


def test_sandbox_code2session_is_deterministic_per_name():
    alice = integration.code2session(code="sandbox-alice")
    assert alice.openid == "sandbox-openid-" + hashlib.sha256(b"alice").hexdigest()[:24]
    assert alice.unionid is None
    assert integration.code2session(code="sandbox-alice") == alice
    assert integration.code2session(code="sandbox-bob").openid != alice.openid


@pytest.mark.parametrize("code", ["", "sandbox-", "alice", "sandbox"])
def test_sandbox_code2session_refuses_other_codes(code):
    with pytest.raises(InvalidInput) as error:
        integration.code2session(code=code)
    assert error.value.code == "invalid_wechat_code"


def sandbox_body(**change) -> bytes:
    body = {
        "payment_id": "p1",
        "order_no": "N1",
        "amount_fen": 100,
        "status": "SUCCESS",
        "transaction_id": "tx-1",
        "paid_at": "2025-03-01T10:00:00+08:00",
        **change,
    }
    return json.dumps(body).encode()


def test_sandbox_payments_are_signed_with_hmac_sha256_of_the_raw_body(settings):
    # given
    body = sandbox_body()
    expected = hmac.new(settings.PAYMENT_SANDBOX_SECRET.encode(), body, hashlib.sha256).hexdigest()
    # when
    notified = integration.parse_payment_notification(headers={"X-Signature": expected}, raw_body=body)
    # then
    assert integration.sign_payment_notification(raw_body=body) == expected
    assert notified == GatewayNotification(
        kind="payment",
        order_no="N1",
        amount_fen=100,
        status="SUCCESS",
        transaction_id="tx-1",
        occurred_at="2025-03-01T10:00:00+08:00",
        payment_id="p1",
        body=json.loads(body),
    )


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_a_bad_signature_is_invalid_signature(signature):
    with pytest.raises(NotAuthenticated) as error:
        integration.parse_payment_notification(headers={"X-Signature": signature}, raw_body=sandbox_body())
    assert error.value.code == "invalid_signature"


def test_a_tampered_body_is_invalid_signature():
    signature = integration.sign_payment_notification(raw_body=sandbox_body())
    with pytest.raises(NotAuthenticated):
        integration.parse_payment_notification(
            headers={"X-Signature": signature}, raw_body=sandbox_body(amount_fen=1)
        )


def test_a_signed_sandbox_notification_needs_its_fields_with_their_types():
    body = json.dumps({"payment_id": "p", "order_no": "", "amount_fen": "100", "status": "SUCCESS"}).encode()
    signature = integration.sign_payment_notification(raw_body=body)
    with pytest.raises(InvalidInput) as refused:
        integration.parse_payment_notification(headers={"x-signature": signature}, raw_body=body)
    assert set(refused.value.fields) == {"order_no", "amount_fen", "transaction_id"}


def test_sandbox_payment_and_refund():
    prepay = integration.create_payment(payment_id="p1", order_no="N1", amount_fen=990, description="Eggs")
    assert prepay["prepay_id"] == "sandbox-prepay-p1"
    refund = integration.refund_payment(
        payment_id="p1", order_no="N1", refund_id="r1", amount_fen=990, total_fen=990
    )
    assert refund == RefundReceipt(
        refund_id="r1", gateway_refund_id="sandbox-refund-r1", status="SUCCESS", amount_fen=990
    )
    assert integration.query_payment(order_no="N1").state == "NOTPAY"


@pytest.mark.django_db
def test_the_sandbox_sms_keeps_the_last_message_per_phone():
    integration.send_sms_code(phone="13800000001", purpose="bind_phone", code="111111")
    integration.send_sms_code(phone="13800000001", purpose="create_store", code="222222")
    integration.send_sms_code(phone="13900000002", purpose="bind_phone", code="333333")
    last = integration.last_sandbox_sms(phone="13800000001")
    assert (last.phone, last.purpose, last.code) == ("13800000001", "create_store", "222222")
    assert integration.last_sandbox_sms(phone="13700000003") is None


@override_settings(GROUPBUY_SANDBOX=False)
def test_outside_the_sandbox_the_production_adapters_are_chosen():
    adapters = bootstrap.DjangoAdapters()
    assert integration.last_sandbox_sms(phone="13800000001") is None
    assert [type(a).__name__ for a in (adapters.wechat(), adapters.sms_sender())] == [
        "HttpWeChatAuth",
        "TencentSmsSender",
    ]
    assert type(adapters.subscribe_message_sender()).__name__ == "WeChatSubscribeMessageSender"
