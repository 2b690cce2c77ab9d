"""A settlement run tells each merchant what it settled: SettlementCompleted, through the real
event machinery, becomes a "settlement_completed" WeChat message to the merchant's user (best
effort: a failing channel never undoes the settlement)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase

from contexts.integration.models import SandboxMessage
from contexts.merchant_account import bootstrap
from contexts.merchant_account.models import Settlement
from contexts.notification.models import Notification
from contexts.shared import eventbus
from contexts.shared.models import EventDelivery, OutboxEvent
from tests.support.money import T0, balances, complete_order, open_merchant

pytestmark = pytest.mark.django_db

HANDLER = "contexts.notification.tasks.on_settlement_completed"
OPENID = "sandbox-openid-alice"


@pytest.fixture
def brand():
    user = get_user_model().objects.create(username="alice", openid=OPENID, nickname="Alice")
    shop = open_merchant(user_id=str(user.pk))
    complete_order(store_id=shop.store_id, total_fen=12800)
    return shop


def settle() -> None:
    """A run as the schedule runs it: its events relayed after it commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        bootstrap.settle_orders(as_of=T0 + timedelta(hours=1))


def test_a_settlement_notifies_its_merchants_user_once(brand):
    # when
    settle()
    # then
    settlement = Settlement.objects.get()
    notification = Notification.objects.get(template="settlement_completed")
    assert (notification.recipient_user_id, notification.status, notification.reference) == (
        brand.user_id,
        "sent",
        settlement.pk,
    )
    assert notification.payload == {
        "settlement_id": settlement.pk,
        "kind": "orders",
        "order_count": 1,
        "net_fen": 12800 - 77,
    }
    message = SandboxMessage.objects.get(template_id="settlement_completed")
    assert (message.touser, message.page) == (OPENID, f"pages/merchant/settlement?id={settlement.pk}")
    assert message.data == {
        "phrase1": {"value": "订单结算"},
        "number2": {"value": "1"},
        "amount3": {"value": "127.23元"},
    }
    # and a second delivery of the event notifies nobody again
    event = OutboxEvent.objects.get(event_type="SettlementCompleted")
    assert eventbus.deliver(event_id=str(event.event_id), handler=HANDLER) == "done"
    assert Notification.objects.filter(template="settlement_completed").count() == 1


def test_a_failing_channel_leaves_the_settlement_done(brand, settings):
    # given WeChat refuses every message
    settings.NOTIFICATION_SANDBOX_FAIL = True
    # when
    settle()
    # then the money is settled, the notification failed, the delivery done
    assert balances(brand)["available_fen"] == 12800 - 77
    notification = Notification.objects.get(template="settlement_completed")
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert EventDelivery.objects.get(handler=HANDLER).status == "done"
