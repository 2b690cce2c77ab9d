"""Notifications of real orders: paid through the sandbox gateway, received, refunded and
reminded through the API. A failing WeChat channel never touches the order."""

import pytest

from contexts.identity import queries as identity_queries
from contexts.integration.models import SandboxMessage
from contexts.notification import tasks
from contexts.notification.models import Notification
from contexts.shared.models import EventDelivery, OutboxEvent
from tests.api.test_orders_world import build_world, paid

pytestmark = pytest.mark.django_db

ON_PAID = "contexts.notification.tasks.on_order_paid"


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def test_paying_an_order_sends_its_customer_the_sequence_number(world):
    # when
    order = paid(world)
    # then
    notification = Notification.objects.get()
    assert (notification.template, notification.recipient_user_id, notification.status) == (
        "order_paid",
        world["customer_id"],
        "sent",
    )
    assert notification.payload == {
        "order_id": order["id"],
        "order_no": order["order_no"],
        "store_name": "幸福小店",
        "total_fen": 2560,
        "sequence_no": order["sequence_no"],
    }
    message = SandboxMessage.objects.get()
    assert message.touser == identity_queries.openid_of(world["customer_id"])
    assert (message.template_id, message.page) == ("order_paid", f"pages/order/detail?id={order['id']}")
    assert message.data["thing2"] == {"value": "幸福小店"}
    assert message.data["amount3"] == {"value": "25.60元"}


def test_a_failing_channel_leaves_the_order_paid_and_the_notification_failed(world, settings):
    # given
    settings.NOTIFICATION_SANDBOX_FAIL = True
    # when
    order = paid(world)
    # then the order is paid, as if nothing had happened
    assert order["status"] == "paid"
    assert world["customer"].get(f"/api/v1/orders/{order['id']}").json()["status"] == "paid"
    event = OutboxEvent.objects.get(event_type="OrderPaid", aggregate_id=order["id"])
    delivery = EventDelivery.objects.get(event=event, handler=ON_PAID)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 1, "")
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts, str(notification.source_event_id)) == (
        "failed",
        1,
        str(event.event_id),
    )
    assert notification.error.startswith("MessageNotSent: sandbox: NOTIFICATION_SANDBOX_FAIL is on")
    assert SandboxMessage.objects.count() == 0
    # when the channel works again, the schedule sends it once
    settings.NOTIFICATION_SANDBOX_FAIL = False
    assert tasks.retry_failed_notifications() == {"tried": 1, "sent": 1}
    assert tasks.retry_failed_notifications() == {"tried": 0, "sent": 0}
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.error) == ("sent", 2, "")
    assert SandboxMessage.objects.get().data["character_string1"] == {"value": order["order_no"]}


def test_receipt_refund_and_reminder_each_notify_the_customer(world):
    # given two paid orders
    received, refunded = paid(world), paid(world)
    # when
    confirmed = world["customer"].post(f"/api/v1/orders/{received['id']}/confirm-receipt")
    reminded = world["clerk"].post(f"/api/v1/orders/{refunded['id']}/remind")
    refund = world["owner"].post(f"/api/v1/orders/{refunded['id']}/refund", {"reason": "缺货"}, format="json")
    # then
    assert (confirmed.status_code, reminded.status_code, refund.status_code) == (200, 202, 200)
    rows = list(
        Notification.objects.order_by("created_at", "id").values_list("template", "reference", "status")
    )
    assert sorted(rows) == sorted(
        [
            ("order_paid", received["order_no"], "sent"),
            ("order_paid", refunded["order_no"], "sent"),
            ("order_completed", received["order_no"], "sent"),
            ("order_reminder", refunded["order_no"], "sent"),
            ("order_refunded", refunded["order_no"], "sent"),
        ]
    )
    assert set(Notification.objects.values_list("recipient_user_id", flat=True)) == {world["customer_id"]}
    assert Notification.objects.get(template="order_refunded").payload["reason"] == "缺货"
    assert SandboxMessage.objects.count() == 5
