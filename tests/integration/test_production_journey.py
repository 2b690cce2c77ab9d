"""The whole journey over HTTP with the sandbox off: a live server, and fake WeChat, WeChat Pay
and Tencent Cloud SMS servers speaking their vendors' protocols to it. Every log line of the
journey, at DEBUG, is kept and searched for the credentials."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from contexts.ordering import bootstrap
from contexts.ordering.models import Order, Payment
from contexts.shared.models import OutboxEvent
from tests.support.production import HttpClient, place_order, production_world
from tests.support.vendors import NOTIFY_PATH, production_vendors


@pytest.fixture
def journey_vendors(live_server, settings, tmp_path):
    with production_vendors(settings, tmp_path, notify_url=live_server.url + NOTIFY_PATH) as fakes:
        yield fakes


def pem_lines(path: str) -> list[str]:
    with open(path) as key:
        return [line for line in key.read().splitlines() if line and not line.startswith("-----")]


@pytest.mark.django_db(transaction=True)
def test_log_in_pay_be_notified_expire_late_refund_over_http_with_no_credential_in_any_log(
    live_server, journey_vendors, settings, caplog
):
    vendors = journey_vendors
    caplog.set_level(logging.DEBUG)
    client = lambda: HttpClient(live_server.url)  # noqa: E731
    # a merchant and a customer log in through jscode2session; the merchant's phone gets its
    # code through Tencent Cloud SMS and opens a store
    world = production_world(vendors, client)
    assert [m["phone"] for m in vendors.sms.sent] == ["+8613800000001"]

    # the customer pays through a JSAPI prepay, and WeChat Pay notifies the notify URL
    order = place_order(world)
    prepay = world["customer"].post(f"/api/v1/orders/{order['id']}/pay").json()["prepay"]
    assert prepay["package"] == f"prepay_id={vendors.wechatpay.transactions[order['order_no']]['prepay_id']}"
    vendors.wechatpay.customer_pays(order["order_no"])
    notification = vendors.wechatpay.payment_notification(order["order_no"])
    answers = [vendors.wechatpay.notify(*notification, settings.WECHATPAY_NOTIFY_URL) for _ in range(2)]
    assert [(a.status_code, a.json()) for a in answers] == [(200, {"code": "SUCCESS"})] * 2
    paid = world["customer"].get(f"/api/v1/orders/{order['id']}").json()
    assert (paid["status"], len(paid["pickup_code"])) == ("paid", 8)
    assert OutboxEvent.objects.filter(event_type="OrderPaid").count() == 1
    # a forged one changes nothing
    headers, body = notification
    forged = vendors.wechatpay.notify(
        headers, body.replace(b"SUCCESS", b"SUCCESS "), settings.WECHATPAY_NOTIFY_URL
    )
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_signature")
    # the customer got the subscribe message of the paid order
    assert [(m["touser"], m["template_id"]) for m in vendors.wechat.messages] == [
        ("o-customer-cindy", "tmpl-paid-0001")
    ]

    # a second order is paid, its notification lost: the expiry job takes it
    vendors.wechat.subscribe("o-customer-cindy", "order_paid")  # allowed again at the checkout
    late = place_order(world, quantity=1)
    world["customer"].post(f"/api/v1/orders/{late['id']}/pay")
    vendors.wechatpay.customer_pays(late["order_no"])
    Order.objects.filter(pk=late["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bootstrap.expire_unpaid_orders() == 0
    assert world["customer"].get(f"/api/v1/orders/{late['id']}").json()["status"] == "paid"

    # the first order is refunded through the refund API, and its notification closes it
    refunded = world["customer"].post(f"/api/v1/orders/{order['id']}/refund", {"reason": "买多了"})
    assert (refunded.status_code, refunded.json()["status"]) == (200, "refunded")
    refund_id = Payment.objects.get(order_id=order["id"]).refund_id
    assert vendors.wechatpay.refunds[refund_id]["amount"] == {"total": 2560, "refund": 2560}
    vendors.wechatpay.refund_completes(refund_id)
    ended = vendors.wechatpay.notify(
        *vendors.wechatpay.refund_notification(refund_id), settings.WECHATPAY_NOTIFY_URL
    )
    assert ended.status_code == 200
    assert Payment.objects.get(order_id=order["id"]).refund_status == "succeeded"
    assert [m["template_id"] for m in vendors.wechat.messages] == [
        "tmpl-paid-0001",
        "tmpl-paid-0001",
        "tmpl-back-0003",
    ]

    # and no credential was written to any log, at any level
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert caplog.records and logging.getLogger().isEnabledFor(logging.DEBUG)
    credentials = vendors.secrets() + pem_lines(settings.WECHATPAY_PRIVATE_KEY_PATH)
    leaks = {
        r.name for r in caplog.records for secret in credentials if secret in r.getMessage() + str(r.args)
    }
    assert [secret for secret in credentials if secret in logged] == [], leaks
