"""The integration context's sandbox adapters and its adapter choice (what identity calls)."""

import hashlib
import hmac
import json

import pytest
from django.test import override_settings

from contexts.integration import bootstrap
from contexts.integration import services as integration
from contexts.integration.adapters.unconfigured import NotConfigured
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


def test_sandbox_payments_are_signed_with_hmac_sha256_of_the_raw_body(settings):
    # given
    body = json.dumps({"payment_id": "p1", "amount_fen": 100}).encode()
    expected = hmac.new(settings.PAYMENT_SANDBOX_SECRET.encode(), body, hashlib.sha256).hexdigest()
    # when / then
    assert integration.sign_payment_notification(raw_body=body) == expected
    assert integration.verify_payment_notification(raw_body=body, signature=expected) == {
        "payment_id": "p1",
        "amount_fen": 100,
    }


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_a_bad_signature_is_invalid_signature(signature):
    with pytest.raises(NotAuthenticated) as error:
        integration.verify_payment_notification(raw_body=b'{"a": 1}', signature=signature)
    assert error.value.code == "invalid_signature"


def test_a_tampered_body_is_invalid_signature():
    signature = integration.sign_payment_notification(raw_body=b'{"amount_fen": 100}')
    with pytest.raises(NotAuthenticated):
        integration.verify_payment_notification(raw_body=b'{"amount_fen": 1}', signature=signature)


def test_sandbox_payment_and_refund():
    prepay = integration.create_payment(payment_id="p1", order_no="N1", amount_fen=990, description="Eggs")
    assert prepay["prepay_id"] == "sandbox-prepay-p1"
    refund = integration.refund_payment(payment_id="p1", refund_id="r1", amount_fen=990)
    assert refund == {"payment_id": "p1", "refund_id": "r1", "amount_fen": 990, "status": "SUCCESS"}


@pytest.mark.django_db
def test_the_sandbox_sms_keeps_the_last_message_per_phone():
    integration.send_sms_code(phone="13800000001", purpose="bind_phone", code="111111")
    integration.send_sms_code(phone="13800000001", purpose="create_store", code="222222")
    integration.send_sms_code(phone="13900000002", purpose="bind_phone", code="333333")
    last = integration.last_sandbox_sms(phone="13800000001")
    assert (last.phone, last.purpose, last.code) == ("13800000001", "create_store", "222222")
    assert integration.last_sandbox_sms(phone="13700000003") is None


@override_settings(GROUPBUY_SANDBOX=False)
def test_outside_the_sandbox_no_sandbox_adapter_is_used():
    assert integration.last_sandbox_sms(phone="13800000001") is None
    with pytest.raises(NotConfigured):
        integration.send_sms_code(phone="13800000001", purpose="bind_phone", code="111111")
    with pytest.raises(NotConfigured):
        integration.create_payment(payment_id="p1", order_no="N1", amount_fen=1, description="x")
    assert type(bootstrap.DjangoAdapters().wechat()).__name__ == "HttpWeChatAuth"
