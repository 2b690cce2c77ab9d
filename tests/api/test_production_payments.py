"""Paying with the sandbox off: POST /orders/{id}/pay opens a JSAPI payment at (a fake) WeChat
Pay, whose signed, encrypted notifications arrive at POST /payments/notify; refunds go through
its refund API; the expiry job asks it before cancelling."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.ordering import bootstrap
from contexts.ordering.models import Order, Payment, PaymentNotification
from contexts.shared.models import OutboxEvent
from tests.support.production import place_order, production_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(vendors, api_client):
    return production_world(vendors, type(api_client))


def meta(headers: dict) -> dict:
    return {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}


def notify(api_client, headers: dict, body: bytes):
    client = type(api_client)()
    return client.post("/api/v1/payments/notify", body, content_type="application/json", **meta(headers))


def pay(world, order) -> dict:
    response = world["customer"].post(f"/api/v1/orders/{order['id']}/pay")
    assert response.status_code == 200, response.content
    return response.json()


def state(order_id: str) -> tuple:
    row = Order.objects.get(pk=order_id)
    return row.status, row.pickup_code is not None, PaymentNotification.objects.count()


def test_paying_opens_a_jsapi_payment_and_answers_what_wx_request_payment_takes(world, vendors):
    order = place_order(world)
    # when
    body = pay(world, order)
    # then
    transaction = vendors.wechatpay.transactions[order["order_no"]]
    sent = transaction["request"]
    assert (sent["amount"], sent["payer"], sent["attach"]) == (
        {"total": 2560, "currency": "CNY"},
        {"openid": "o-customer-cindy"},
        body["payment_id"],
    )
    assert sent["time_expire"] == timezone.localtime(Order.objects.get().expires_at).isoformat(
        timespec="seconds"
    )
    assert (body["gateway"], body["amount_fen"]) == ("wechatpay", 2560)
    assert set(body["prepay"]) == {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert body["prepay"]["package"] == f"prepay_id={transaction['prepay_id']}"
    # and asking again is the same payment, without a second prepay
    assert pay(world, order) == body
    assert len(vendors.wechatpay.calls("/v3/pay/transactions/jsapi")) == 1


def test_wechat_pays_notification_pays_the_order_once_and_its_repeats_change_nothing(
    world, vendors, api_client
):
    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])
    # when WeChat Pay notifies, then notifies again (freshly signed, as it does)
    first = notify(api_client, *vendors.wechatpay.payment_notification(order["order_no"]))
    again = notify(api_client, *vendors.wechatpay.payment_notification(order["order_no"]))
    # then
    assert (first.status_code, first.json()) == (200, {"code": "SUCCESS"})
    assert (again.status_code, again.json()) == (200, {"code": "SUCCESS"})
    assert state(order["id"]) == ("paid", True, 1)
    payment = Payment.objects.get()
    assert (payment.status, payment.transaction_id) == (
        "succeeded",
        vendors.wechatpay.transactions[order["order_no"]]["transaction_id"],
    )
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1
    # and the customer got the subscribe message of a paid order, once
    [message] = vendors.wechat.messages
    assert (message["touser"], message["template_id"], message["page"]) == (
        "o-customer-cindy",
        "tmpl-paid-0001",
        f"pages/order/detail?id={order['id']}",
    )
    assert message["data"] == {
        "character_string1": {"value": order["order_no"]},
        "thing2": {"value": "幸福小店"},
        "amount3": {"value": "25.60元"},
        "character_string4": {"value": "-"},
    }


def test_a_forged_stale_or_tampered_notification_is_401_and_changes_nothing(world, vendors, api_client):
    from cryptography.hazmat.primitives.asymmetric import rsa

    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])
    headers, body = vendors.wechatpay.payment_notification(order["order_no"])
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tampered = body.replace(b'"summary": "', b'"summary": "x')
    cases = [
        (vendors.wechatpay.signed_headers(body, key=forger), body),
        (vendors.wechatpay.signed_headers(body, timestamp=int(time.time()) - 600), body),
        (headers, tampered),
        ({**headers, "Wechatpay-Serial": "PUB_KEY_ID_UNKNOWN"}, body),
        ({}, body),
    ]
    for case_headers, case_body in cases:
        response = notify(api_client, case_headers, case_body)
        assert response.status_code == 401
        assert response.json() == {
            "code": "invalid_signature",
            "detail": "通知签名无效。",  # the default language (zh-hans): WeChat Pay's logs show it
            "message": "通知签名无效。",
        }
    assert state(order["id"]) == ("pending_payment", False, 0)
    assert not OutboxEvent.objects.filter(event_type="OrderPaid").exists()


def test_a_signed_notification_of_another_amount_or_order_is_refused_and_changes_nothing(
    world, vendors, api_client
):
    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])
    pay_fake = vendors.wechatpay
    resource = pay_fake.transaction(order["order_no"])
    cheaper = {**resource, "amount": {**resource["amount"], "total": 1}}
    unknown = {**resource, "out_trade_no": "20250101000000000000"}
    answers = []
    for changed in (cheaper, unknown):
        body = pay_fake.envelope(
            "TRANSACTION.SUCCESS", "支付成功", pay_fake.encrypted(changed, "transaction")
        )
        answers.append(notify(api_client, pay_fake.signed_headers(body), body))
    garbage = notify(api_client, pay_fake.signed_headers(b"not json"), b"not json")
    assert [(a.status_code, a.json()["code"]) for a in answers + [garbage]] == [
        (400, "invalid"),
        (404, "not_found"),
        (400, "invalid"),
    ]
    assert state(order["id"]) == ("pending_payment", False, 0)


def test_a_refund_goes_through_the_refund_api_and_its_notification_is_recorded_once(
    world, vendors, api_client
):
    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])
    notify(api_client, *vendors.wechatpay.payment_notification(order["order_no"]))
    # when the customer asks for a refund
    response = world["customer"].post(
        f"/api/v1/orders/{order['id']}/refund", {"reason": "买多了"}, format="json"
    )
    # then WeChat Pay took it, under the order's refund id, in full
    assert (response.status_code, response.json()["status"]) == (200, "refunded")
    payment = Payment.objects.get()
    kept = vendors.wechatpay.refunds[payment.refund_id]
    assert (kept["out_trade_no"], kept["amount"], kept["reason"]) == (
        order["order_no"],
        {"total": 2560, "refund": 2560},
        "买多了",
    )
    assert payment.refund_status == "processing"
    # when WeChat Pay says the money is back, twice
    vendors.wechatpay.refund_completes(payment.refund_id)
    first = notify(api_client, *vendors.wechatpay.refund_notification(payment.refund_id))
    again = notify(api_client, *vendors.wechatpay.refund_notification(payment.refund_id))
    # then
    assert [(r.status_code, r.json()) for r in (first, again)] == [(200, {"code": "SUCCESS"})] * 2
    payment.refresh_from_db()
    assert payment.refund_status == "succeeded"
    assert list(PaymentNotification.objects.order_by("received_at").values_list("outcome", flat=True)) == [
        "paid",
        "refund_succeeded",
    ]


def test_a_refund_wechat_pay_refuses_leaves_the_order_paid(world, vendors, api_client):
    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])
    notify(api_client, *vendors.wechatpay.payment_notification(order["order_no"]))
    vendors.wechatpay.transactions[order["order_no"]]["refunded"] = 2560  # refunded elsewhere already
    response = world["customer"].post(
        f"/api/v1/orders/{order['id']}/refund", {"reason": "买多了"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "refund_failed")
    assert (Order.objects.get().status, Payment.objects.get().status) == ("paid", "succeeded")


def overdue(order_id: str) -> None:
    Order.objects.filter(pk=order_id).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_the_expiry_job_takes_a_payment_that_succeeded_without_its_notification(world, vendors, api_client):
    order = place_order(world)
    pay(world, order)
    vendors.wechatpay.customer_pays(order["order_no"])  # its notification is late
    overdue(order["id"])
    # when the robot runs
    assert bootstrap.expire_unpaid_orders() == 0
    # then it asked WeChat Pay, and the order is paid, not cancelled
    assert vendors.wechatpay.calls(f"/v3/pay/transactions/out-trade-no/{order['order_no']}")
    assert state(order["id"]) == ("paid", True, 1)
    assert not OutboxEvent.objects.filter(event_type="OrderExpired").exists()
    assert not vendors.wechatpay.refunds
    # and the late notification is a repeat
    late = notify(api_client, *vendors.wechatpay.payment_notification(order["order_no"]))
    assert (late.status_code, state(order["id"])) == (200, ("paid", True, 1))
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1


def test_an_unpaid_order_expires_and_wechat_pay_stops_taking_money_for_it(world, vendors):
    order = place_order(world)
    pay(world, order)
    overdue(order["id"])
    assert bootstrap.expire_unpaid_orders() == 1
    assert Order.objects.get().status == "cancelled"
    assert vendors.wechatpay.transactions[order["order_no"]]["trade_state"] == "CLOSED"


def test_an_order_is_not_expired_while_wechat_pay_does_not_answer(world, vendors, settings):
    order = place_order(world)
    pay(world, order)
    overdue(order["id"])
    settings.WECHATPAY_BASE_URL = "http://127.0.0.1:9"
    assert bootstrap.expire_unpaid_orders() == 0
    assert Order.objects.get().status == "pending_payment"
    settings.WECHATPAY_BASE_URL = vendors.wechatpay.url
    assert bootstrap.expire_unpaid_orders() == 1


def test_wechat_pay_down_when_paying_is_502_and_stores_no_payment(world, settings):
    order = place_order(world)
    settings.WECHATPAY_BASE_URL = "http://127.0.0.1:9"
    response = world["customer"].post(f"/api/v1/orders/{order['id']}/pay")
    assert (response.status_code, response.json()["code"]) == (502, "payment_gateway_failed")
    assert Payment.objects.count() == 0
