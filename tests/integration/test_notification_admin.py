"""The operator's notification list and its retry action, which goes through the service."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from contexts.integration.models import SandboxMessage
from contexts.notification.models import Notification

pytestmark = pytest.mark.django_db

URL = "admin:notification_notification_changelist"


def make_notification(recipient_id: str, *, status: str, attempts: int, order_no: str, error: str = ""):
    return Notification.objects.create(
        id=f"n-{order_no}",
        recipient_user_id=recipient_id,
        template="order_paid",
        payload={
            "order_id": f"o-{order_no}",
            "order_no": order_no,
            "store_name": "幸福小店",
            "total_fen": 1280,
        },
        source_event_id=f"e-{order_no}",
        reference=order_no,
        status=status,
        attempts=attempts,
        error=error,
        created_at=timezone.now(),
        sent_at=timezone.now() if status == "sent" else None,
    )


@pytest.fixture
def customer_id() -> str:
    return str(get_user_model().objects.create(username="cindy", openid="sandbox-openid-cindy").pk)


def test_the_list_searches_by_order_number_and_filters_by_status(admin_client, customer_id):
    # given
    make_notification(customer_id, status="failed", attempts=3, order_no="20250301000001", error="refused")
    make_notification(customer_id, status="sent", attempts=1, order_no="20250301000002")
    # when
    searched = admin_client.get(reverse(URL), {"q": "20250301000002"})
    filtered = admin_client.get(reverse(URL), {"status__exact": "failed"})
    # then
    assert searched.status_code == filtered.status_code == 200
    assert [n.reference for n in searched.context["cl"].result_list] == ["20250301000002"]
    assert [n.reference for n in filtered.context["cl"].result_list] == ["20250301000001"]
    change = admin_client.get(reverse("admin:notification_notification_change", args=["n-20250301000001"]))
    assert change.status_code == 200


def test_the_sandbox_messages_list_opens(admin_client, customer_id):
    # given
    SandboxMessage.objects.create(
        touser="sandbox-openid-cindy",
        template_id="order_paid",
        page="pages/order/detail?id=o-1",
        data={"order_no": {"value": "20250301000001"}},
        sent_at=timezone.now(),
    )
    # when
    response = admin_client.get(reverse("admin:integration_sandboxmessage_changelist"), {"q": "cindy"})
    # then
    assert response.status_code == 200
    assert [m.template_id for m in response.context["cl"].result_list] == ["order_paid"]


def test_the_retry_action_resets_and_sends_now(admin_client, customer_id):
    # given a notification that failed its three attempts, and one already sent
    failed = make_notification(customer_id, status="failed", attempts=3, order_no="20250301000001", error="x")
    sent = make_notification(customer_id, status="sent", attempts=1, order_no="20250301000002")
    # when
    response = admin_client.post(
        reverse(URL), {"action": "retry", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )
    # then
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["已重发 1 条通知，成功发送 1 条。"]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.error) == ("sent", 1, "")
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == ("sent", 1)
    message = SandboxMessage.objects.get()
    assert (message.touser, message.template_id, message.page) == (
        "sandbox-openid-cindy",
        "order_paid",
        "pages/order/detail?id=o-20250301000001",
    )


def test_a_retry_that_fails_again_stays_failed_with_its_new_error(admin_client, settings, customer_id):
    # given
    failed = make_notification(
        customer_id, status="failed", attempts=3, order_no="20250301000001", error="old"
    )
    settings.NOTIFICATION_SANDBOX_FAIL = True
    # when
    response = admin_client.post(
        reverse(URL), {"action": "retry", "_selected_action": [failed.pk]}, follow=True
    )
    # then
    assert [str(m) for m in response.context["messages"]] == ["已重发 1 条通知，成功发送 0 条。"]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.error.startswith("MessageNotSent: sandbox: NOTIFICATION_SANDBOX_FAIL is on")
    assert SandboxMessage.objects.count() == 0
