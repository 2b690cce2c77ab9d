"""notification's handlers of ordering's events through the real event machinery (outbox ->
relay -> django-q2 sync task), the sandbox WeChat channel, the retry schedule, on the real database."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase
from django_q.models import Schedule

from contexts.integration.models import SandboxMessage
from contexts.notification import tasks
from contexts.notification.models import Notification
from contexts.shared import eventbus, schedules
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery
from tests.support.queue import relayed_to_the_queue
from tests.support.rows import goods_row

pytestmark = pytest.mark.django_db

HANDLERS = {
    "OrderPaid": "contexts.notification.tasks.on_order_paid",
    "OrderCompleted": "contexts.notification.tasks.on_order_completed",
    "OrderRefunded": "contexts.notification.tasks.on_order_refunded",
    "OrderReminderRequested": "contexts.notification.tasks.on_order_reminder_requested",
}
TEMPLATES = {
    "OrderPaid": "order_paid",
    "OrderCompleted": "order_completed",
    "OrderRefunded": "order_refunded",
    "OrderReminderRequested": "order_reminder",
}
OPENID = "sandbox-openid-cindy"


@pytest.fixture
def customer_id() -> str:
    return str(get_user_model().objects.create(username="cindy", openid=OPENID, nickname="Cindy").pk)


@pytest.fixture(autouse=True)
def the_goods_ordered():
    goods_row("g")


def payload(event_type: str, customer_id: str) -> dict:
    order = {"order_id": str(uuid.uuid4()), "order_no": "20250301000042", "store_id": str(uuid.uuid4())}
    if event_type == "OrderReminderRequested":
        return {
            **order,
            "customer_id": customer_id,
            "requested_by": "u-owner",
            "occurred_at": "2025-03-01T09:00+08:00",
        }
    facts = {
        **order,
        "solitaire_id": None,
        "resale_id": None,
        "customer_id": customer_id,
        "sequence_no": 3,
        "total_fen": 2560,
        "lines": [
            {"goods_id": "g", "solitaire_item_id": None, "name": "蛋", "price_fen": 1280, "quantity": 2}
        ],
        "contact_phone": "13800000000",
        "occurred_at": "2025-03-01T09:00:00+08:00",
    }
    if event_type == "OrderCompleted":
        facts["completed_by"] = "customer"
    if event_type == "OrderRefunded":
        facts.update(refund_id="r-1", reason="缺货", refunded_by="u-owner")
    return facts


def publish(event_type: str, facts: dict) -> str:
    """As ordering publishes it: through a unit of work, whose commit relays it inline."""
    event = DomainEvent(
        event_type=event_type, aggregate_type="Order", aggregate_id=facts["order_id"], payload=facts
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()
    return event.event_id


@pytest.mark.parametrize("event_type", list(HANDLERS))
def test_each_order_event_notifies_the_customer_once_even_when_delivered_twice(event_type, customer_id):
    # given
    facts = payload(event_type, customer_id)
    event_id = publish(event_type, facts)
    # when the broker hands the task out again, and the handler itself runs again
    assert eventbus.deliver(event_id=event_id, handler=HANDLERS[event_type]) == "done"
    row = eventbus.to_event(EventDelivery.objects.get(event_id=event_id, handler=HANDLERS[event_type]).event)
    getattr(tasks, HANDLERS[event_type].rsplit(".", 1)[1])(row)
    # then
    notification = Notification.objects.get()
    assert (notification.template, notification.recipient_user_id, notification.status) == (
        TEMPLATES[event_type],
        customer_id,
        "sent",
    )
    assert (notification.attempts, notification.source_event_id, notification.reference) == (
        1,
        event_id,
        "20250301000042",
    )
    message = SandboxMessage.objects.get()
    assert (message.touser, message.template_id, message.page) == (
        OPENID,
        TEMPLATES[event_type],
        f"pages/order/detail?id={facts['order_id']}",
    )
    assert message.data["character_string1"] == {"value": "20250301000042"}


def test_order_completed_events_handled_together_notify_as_each_alone_would(customer_id):
    # given three completed orders whose events wait in the queue, one of them notified already
    events = []
    with relayed_to_the_queue(), DjangoUnitOfWork() as uow:
        for _ in range(3):
            facts = payload("OrderCompleted", customer_id)
            events.append(
                DomainEvent(
                    "OrderCompleted", aggregate_type="Order", aggregate_id=facts["order_id"], payload=facts
                )
            )
            uow.publish(events[-1])
        uow.commit()
    tasks.on_order_completed(events[0])
    # when they are handled one by one (and that is rolled back), then together by one task
    with transaction.atomic():
        for event in events:
            tasks.on_order_completed(event)
        alone = notifications_made()
        transaction.set_rollback(True)
    deliveries = EventDelivery.objects.filter(handler=HANDLERS["OrderCompleted"]).values_list("pk", flat=True)
    assert eventbus.deliver_batch([sorted(deliveries)], steal=0) == dict.fromkeys(deliveries, "done")
    # then the same notifications and messages, each event's once
    assert notifications_made() == alone
    assert len(alone["notifications"]) == 3 and len(alone["messages"]) == 3
    assert {row[3] for row in alone["notifications"]} == {"sent"}


def notifications_made() -> dict:
    return {
        "notifications": sorted(
            (row.source_event_id, row.template, row.reference, row.status, row.attempts, str(row.payload))
            for row in Notification.objects.all()
        ),
        "messages": sorted(
            (row.touser, row.template_id, row.page, str(row.data)) for row in SandboxMessage.objects.all()
        ),
    }


def test_an_order_paid_message_carries_the_sequence_number_and_the_amount(customer_id):
    # when
    publish("OrderPaid", payload("OrderPaid", customer_id))
    # then
    assert Notification.objects.get().payload["sequence_no"] == 3
    assert SandboxMessage.objects.get().data == {  # the keywords of the order_paid template
        "character_string1": {"value": "20250301000042"},
        "thing2": {"value": "-"},  # a store the directory does not know
        "amount3": {"value": "25.60元"},
        "character_string4": {"value": "3"},
    }


def test_a_failing_channel_leaves_the_notification_failed_and_the_delivery_done(settings, customer_id):
    # given
    settings.NOTIFICATION_SANDBOX_FAIL = True
    # when
    event_id = publish("OrderCompleted", payload("OrderCompleted", customer_id))
    # then
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts, notification.sent_at) == ("failed", 1, None)
    assert notification.error == (
        "MessageNotSent: sandbox: NOTIFICATION_SANDBOX_FAIL is on (errcode 43101, user refused)"
    )
    delivery = EventDelivery.objects.get(event_id=event_id, handler=HANDLERS["OrderCompleted"])
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 1, "")
    assert SandboxMessage.objects.count() == 0


def test_a_recipient_without_an_openid_is_a_failed_notification(db):
    # given an operator account, who never logged in with WeChat
    operator_id = str(get_user_model().objects.create(username="operator").pk)
    # when
    publish("OrderReminderRequested", payload("OrderReminderRequested", operator_id))
    # then
    notification = Notification.objects.get()
    assert (notification.status, notification.error) == ("failed", "The recipient has no WeChat openid.")


def test_the_retry_job_sends_a_failed_notification_once_the_channel_works(settings, customer_id):
    # given
    settings.NOTIFICATION_SANDBOX_FAIL = True
    publish("OrderRefunded", payload("OrderRefunded", customer_id))
    settings.NOTIFICATION_SANDBOX_FAIL = False
    # when
    outcome = tasks.retry_failed_notifications()
    # then
    assert outcome == {"tried": 1, "sent": 1}
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts, notification.error) == ("sent", 2, "")
    assert notification.sent_at is not None
    assert SandboxMessage.objects.get().template_id == "order_refunded"
    # and a later run has nothing to do
    assert tasks.retry_failed_notifications() == {"tried": 0, "sent": 0}


def test_the_retry_job_stops_after_three_attempts(settings, customer_id):
    # given a channel that keeps failing
    settings.NOTIFICATION_SANDBOX_FAIL = True
    publish("OrderPaid", payload("OrderPaid", customer_id))
    # when the schedule runs four times
    outcomes = [tasks.retry_failed_notifications() for _ in range(4)]
    # then
    tried, gave_up = {"tried": 1, "sent": 0}, {"tried": 0, "sent": 0}
    assert outcomes == [tried, tried, gave_up, gave_up]
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", 3)
    # even once the channel works again, it stays failed for an operator to retry
    settings.NOTIFICATION_SANDBOX_FAIL = False
    assert tasks.retry_failed_notifications() == {"tried": 0, "sent": 0}
    assert SandboxMessage.objects.count() == 0


def test_the_retry_job_is_a_registered_schedule():
    # then
    job = next(job for job in schedules.registered() if job.name == "notification.retry_failed")
    assert (job.func, job.minutes) == ("contexts.notification.tasks.retry_failed_notifications", 5)
    schedules.install()
    schedule = Schedule.objects.get(name="notification.retry_failed")
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "contexts.notification.tasks.retry_failed_notifications",
        Schedule.MINUTES,
        5,
    )
