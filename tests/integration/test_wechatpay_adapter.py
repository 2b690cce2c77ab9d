"""The WeChat Pay API v3 adapter against a fake WeChat Pay that checks every request's signature
as WeChat Pay documents it and signs (and encrypts) what it sends back."""

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from contexts.integration import bootstrap
from contexts.integration.adapters.wechatpay import WeChatPayGateway
from contexts.shared.domain.errors import InvalidInput, NotAuthenticated, UpstreamFailed
from tests.support.wechatpay import FakeWeChatPay

OPENID = "o-customer-openid-1"


@pytest.fixture(params=["public_key", "certificate"])
def wechatpay(request, settings, tmp_path):
    """A fake WeChat Pay verified by its public key (new merchants) or its platform certificate."""
    with FakeWeChatPay(mode=request.param) as fake:
        for name, value in fake.settings(tmp_path, "https://shop.example/api/v1/payments/notify").items():
            setattr(settings, name, value)
        settings.WECHAT_APP_ID = fake.app_id
        yield fake


def gateway() -> WeChatPayGateway:
    return WeChatPayGateway(bootstrap.wechatpay_config())


def open_payment(order_no: str = "20250301100000123456", amount_fen: int = 2560) -> dict:
    return gateway().create_payment(
        payment_id="pay-1",
        order_no=order_no,
        amount_fen=amount_fen,
        description="Order 20250301100000123456",
        payer_openid=OPENID,
        expires_at=None,
    )


def test_a_prepay_is_a_signed_jsapi_request_and_gives_what_wx_request_payment_takes(wechatpay):
    # when
    prepay = open_payment()
    # then WeChat Pay took a request it could verify, for this payer and amount in fen
    [call] = wechatpay.calls("/v3/pay/transactions/jsapi")
    assert call.headers["authorization"].startswith('WECHATPAY2-SHA256-RSA2048 mchid="1900000109",')
    sent = call.json()
    assert (sent["appid"], sent["mchid"], sent["out_trade_no"]) == (
        wechatpay.app_id,
        "1900000109",
        "20250301100000123456",
    )
    assert (sent["amount"], sent["payer"], sent["notify_url"]) == (
        {"total": 2560, "currency": "CNY"},
        {"openid": OPENID},
        "https://shop.example/api/v1/payments/notify",
    )
    # and the mini-program gets the parameters of wx.requestPayment, signed by the merchant
    prepay_id = wechatpay.transactions["20250301100000123456"]["prepay_id"]
    assert set(prepay) == {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert (prepay["package"], prepay["signType"]) == (f"prepay_id={prepay_id}", "RSA")
    message = f"{wechatpay.app_id}\n{prepay['timeStamp']}\n{prepay['nonceStr']}\n{prepay['package']}\n"
    wechatpay.merchant_key.public_key().verify(
        base64.b64decode(prepay["paySign"]), message.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


def test_a_prepay_without_the_payers_openid_is_refused_before_wechat_pay(wechatpay):
    with pytest.raises(InvalidInput):
        gateway().create_payment(
            payment_id="p",
            order_no="20250301100000123456",
            amount_fen=1,
            description="x",
            payer_openid="",
            expires_at=None,
        )
    assert wechatpay.received == []


def test_a_prepay_signed_with_another_key_is_refused_by_wechat_pay(wechatpay):
    wechatpay.merchant_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(UpstreamFailed) as refused:
        open_payment()
    assert refused.value.code == "payment_gateway_failed"
    assert wechatpay.transactions == {}


def test_an_answer_not_signed_by_wechat_pay_is_not_believed(wechatpay):
    wechatpay.platform_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(UpstreamFailed):
        open_payment()


def test_a_gateway_that_does_not_answer_is_payment_gateway_failed(wechatpay, settings):
    settings.WECHATPAY_BASE_URL = "http://127.0.0.1:9"
    with pytest.raises(UpstreamFailed) as refused:
        open_payment()
    assert refused.value.code == "payment_gateway_failed"


def test_a_payment_notification_is_verified_decrypted_and_normalized(wechatpay):
    open_payment()
    wechatpay.customer_pays("20250301100000123456")
    headers, body = wechatpay.payment_notification("20250301100000123456")
    # when
    notified = gateway().parse_notification(headers={k.lower(): v for k, v in headers.items()}, raw_body=body)
    # then
    paid = wechatpay.transactions["20250301100000123456"]
    assert (notified.kind, notified.order_no, notified.amount_fen, notified.status) == (
        "payment",
        "20250301100000123456",
        2560,
        "SUCCESS",
    )
    assert (notified.transaction_id, notified.occurred_at, notified.payment_id) == (
        paid["transaction_id"],
        paid["success_time"],
        None,
    )
    assert notified.body["payer"] == {"openid": OPENID}


def lower(headers: dict) -> dict:
    return {k.lower(): v for k, v in headers.items()}


def paid_notification(wechatpay) -> tuple[dict, bytes]:
    open_payment()
    wechatpay.customer_pays("20250301100000123456")
    headers, body = wechatpay.payment_notification("20250301100000123456")
    return lower(headers), body


def test_a_forged_signature_a_tampered_body_or_an_unknown_key_is_invalid_signature(wechatpay):
    headers, body = paid_notification(wechatpay)
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = [
        (lower(wechatpay.signed_headers(body, key=forger)), body),
        (headers, body.replace(b'"TRANSACTION.SUCCESS"', b'"TRANSACTION.SUCCESS" ')),
        ({**headers, "wechatpay-serial": "PUB_KEY_ID_0000000000"}, body),
        ({**headers, "wechatpay-signature": "not base64!"}, body),
        ({**headers, "wechatpay-signature-type": "WECHATPAY2-SM2-WITH-SM3"}, body),
        ({k: v for k, v in headers.items() if k != "wechatpay-signature"}, body),
        (headers, b"\xff\xfe not utf-8"),
    ]
    for case_headers, case_body in cases:
        with pytest.raises(NotAuthenticated) as refused:
            gateway().parse_notification(headers=case_headers, raw_body=case_body)
        assert refused.value.code == "invalid_signature"


def test_a_stale_notification_is_invalid_signature_even_when_signed(wechatpay):
    _headers, body = paid_notification(wechatpay)
    stale = lower(wechatpay.signed_headers(body, timestamp=int(time.time()) - 301))
    with pytest.raises(NotAuthenticated):
        gateway().parse_notification(headers=stale, raw_body=body)


def test_a_signed_notification_that_cannot_be_read_is_400(wechatpay):
    open_payment()
    wechatpay.customer_pays("20250301100000123456")
    resource = wechatpay.transaction("20250301100000123456")
    wrong_key = wechatpay.envelope(
        "TRANSACTION.SUCCESS", "支付成功", wechatpay.encrypted(resource, "transaction", key="k" * 32)
    )
    other_merchant = wechatpay.envelope(
        "TRANSACTION.SUCCESS",
        "支付成功",
        wechatpay.encrypted({**resource, "mchid": "1900000999"}, "transaction"),
    )
    other_app = wechatpay.envelope(
        "TRANSACTION.SUCCESS",
        "支付成功",
        wechatpay.encrypted({**resource, "appid": "wx0000000000000000"}, "transaction"),
    )
    unknown_event = wechatpay.envelope("PARTNER.SOMETHING", "?", wechatpay.encrypted(resource, "transaction"))
    plain = json.dumps({"event_type": "TRANSACTION.SUCCESS", "resource": resource}).encode()
    for body in (wrong_key, other_merchant, other_app, unknown_event, plain, b"not json", b"[1, 2]"):
        with pytest.raises(InvalidInput):
            gateway().parse_notification(headers=lower(wechatpay.signed_headers(body)), raw_body=body)


def test_query_close_and_refund_speak_to_wechat_pay(wechatpay):
    open_payment()
    assert gateway().query_payment(order_no="20250301100000123456").state == "NOTPAY"
    assert gateway().query_payment(order_no="20250301000000000000").state == "NOT_FOUND"
    wechatpay.customer_pays("20250301100000123456")
    state = gateway().query_payment(order_no="20250301100000123456")
    paid = wechatpay.transactions["20250301100000123456"]
    assert (state.state, state.transaction_id, state.amount_fen) == ("SUCCESS", paid["transaction_id"], 2560)
    # a paid order is not closed; a refund is taken under our refund id
    with pytest.raises(UpstreamFailed):
        gateway().close_payment(order_no="20250301100000123456")
    receipt = gateway().refund(
        payment_id="pay-1",
        order_no="20250301100000123456",
        refund_id="refund-1",
        amount_fen=2560,
        total_fen=2560,
        reason="买多了",
    )
    kept = wechatpay.refunds["refund-1"]
    assert (receipt.refund_id, receipt.gateway_refund_id, receipt.status, receipt.amount_fen) == (
        "refund-1",
        kept["refund_id"],
        "PROCESSING",
        2560,
    )
    assert (kept["amount"], kept["reason"]) == ({"total": 2560, "refund": 2560}, "买多了")
    # and its notification reads as the end of that refund
    wechatpay.refund_completes("refund-1")
    headers, body = wechatpay.refund_notification("refund-1")
    ended = gateway().parse_notification(headers=lower(headers), raw_body=body)
    assert (ended.kind, ended.refund_id, ended.transaction_id, ended.status, ended.amount_fen) == (
        "refund",
        "refund-1",
        kept["refund_id"],
        "SUCCESS",
        2560,
    )


def test_an_unpaid_order_is_closed(wechatpay):
    open_payment()
    gateway().close_payment(order_no="20250301100000123456")
    assert wechatpay.transactions["20250301100000123456"]["trade_state"] == "CLOSED"
