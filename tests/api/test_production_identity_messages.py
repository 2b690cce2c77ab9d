"""Logins, SMS codes and subscribe messages with the sandbox off, through the API, against fake
WeChat and Tencent Cloud SMS servers."""

import pytest

from contexts.identity.models import SmsCode, User
from contexts.notification.models import Notification
from tests.support.production import place_order, production_world, wechat_login

pytestmark = pytest.mark.django_db


def login(client, code: str):
    return client.post("/api/v1/auth/wechat-login", {"code": code}, format="json")


def test_a_customer_logs_in_through_jscode2session_and_is_the_same_user_next_time(vendors, api_client):
    first = wechat_login(vendors, type(api_client)(), "o-cindy")
    again = wechat_login(vendors, type(api_client)(), "o-cindy")
    other = wechat_login(vendors, type(api_client)(), "o-sam")
    assert first["id"] == again["id"] != other["id"]
    assert User.objects.get(pk=first["id"]).openid == "o-cindy"
    call = vendors.wechat.calls("/sns/jscode2session")[0]
    assert {k: v for k, v in call.query.items() if k != "js_code"} == {
        "appid": vendors.wechat.app_id,
        "secret": vendors.wechat.app_secret,
        "grant_type": "authorization_code",
    }


def test_a_used_or_unknown_code_is_400_invalid_wechat_code_and_makes_nobody(vendors, api_client):
    code = vendors.wechat.login_code("o-cindy")
    assert login(type(api_client)(), code).status_code == 200
    users = User.objects.count()
    for refused in (code, "no-such-code"):
        response = login(type(api_client)(), refused)
        assert (response.status_code, response.json()["code"]) == (400, "invalid_wechat_code")
    assert User.objects.count() == users


def test_a_misconfigured_or_unreachable_wechat_is_502_wechat_unavailable(vendors, api_client, settings):
    settings.WECHAT_APP_SECRET = "not-the-secret"
    wrong_secret = login(type(api_client)(), vendors.wechat.login_code("o-cindy"))
    settings.WECHAT_API_BASE_URL = "http://127.0.0.1:9"
    unreachable = login(type(api_client)(), vendors.wechat.login_code("o-cindy"))
    assert [(r.status_code, r.json()["code"]) for r in (wrong_secret, unreachable)] == [
        (502, "wechat_unavailable"),
        (502, "wechat_unavailable"),
    ]
    assert User.objects.count() == 0


def test_an_sms_code_goes_through_tencent_cloud_and_proves_the_phone(vendors, api_client):
    client = type(api_client)()
    wechat_login(vendors, client, "o-cindy")
    # when
    sent = client.post(
        "/api/v1/auth/sms-codes", {"phone": "13912345678", "purpose": "bind_phone"}, format="json"
    )
    # then Tencent Cloud got a signed SendSms with the bind_phone template and the code
    assert sent.status_code == 202
    [message] = vendors.sms.sent
    assert (message["phone"], message["template_id"]) == ("+8613912345678", "1110001")
    call = vendors.sms.received[0]
    assert (call.headers["x-tc-action"], call.headers["x-tc-region"], call.json()["SignName"]) == (
        "SendSms",
        "ap-guangzhou",
        "团购小店",
    )
    bound = client.post(
        "/api/v1/me/phone", {"phone": "13912345678", "code": message["params"][0]}, format="json"
    )
    assert (bound.status_code, bound.json()["phone"]) == (200, "13912345678")


@pytest.mark.parametrize(
    "refusal",
    [
        {"failure": ("FailedOperation.InsufficientBalanceInSmsPackage", "套餐包余量不足")},
        {"refused_numbers": {"+8613912345678": "LimitExceeded.PhoneNumberDailyLimit"}},
        {"secret_key": "a-key-tencent-does-not-know"},
    ],
)
def test_a_message_tencent_cloud_does_not_send_is_502_sms_failed_and_no_code_is_kept(
    vendors, api_client, refusal
):
    client = type(api_client)()
    wechat_login(vendors, client, "o-cindy")
    working = {name: getattr(vendors.sms, name) for name in refusal}
    for name, value in refusal.items():
        setattr(vendors.sms, name, value)
    # when
    response = client.post(
        "/api/v1/auth/sms-codes", {"phone": "13912345678", "purpose": "bind_phone"}, format="json"
    )
    # then
    assert (response.status_code, response.json()["code"]) == (502, "sms_failed")
    assert (SmsCode.objects.count(), vendors.sms.sent) == (0, [])
    # and once the provider sends again, the customer need not wait out the resend limit
    for name, value in working.items():
        setattr(vendors.sms, name, value)
    again = client.post(
        "/api/v1/auth/sms-codes", {"phone": "13912345678", "purpose": "bind_phone"}, format="json"
    )
    assert (again.status_code, SmsCode.objects.count(), len(vendors.sms.sent)) == (202, 1, 1)


def test_a_message_the_customer_did_not_allow_is_recorded_with_wechats_errcode(vendors, api_client):
    world = production_world(vendors, type(api_client))
    order = place_order(world)
    world["customer"].post(f"/api/v1/orders/{order['id']}/pay")
    vendors.wechatpay.customer_pays(order["order_no"])
    headers, body = vendors.wechatpay.payment_notification(order["order_no"])
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    paid = type(api_client)().post("/api/v1/payments/notify", body, content_type="application/json", **meta)
    assert paid.status_code == 200
    # when the store reminds the customer, who never allowed reminders
    response = world["owner"].post(f"/api/v1/orders/{order['id']}/remind")
    # then the reminder failed at WeChat, with its errcode, and nothing else did
    assert response.status_code == 202
    reminder = Notification.objects.get(template="order_reminder")
    assert (reminder.status, reminder.attempts) == ("failed", 1)
    assert reminder.error.startswith("MessageNotSent: WeChat errcode 43101: user refuse to accept the msg")
    assert Notification.objects.get(template="order_paid").status == "sent"
    assert world["customer"].get(f"/api/v1/orders/{order['id']}").json()["status"] == "paid"
