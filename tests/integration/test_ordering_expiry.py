"""The robot's expiry of unpaid orders: the service, the task, the command and the schedule."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from contexts.ordering import bootstrap, tasks
from contexts.ordering.models import Order
from contexts.shared.domain.errors import Conflict
from contexts.shared.models import OutboxEvent
from tests.integration.test_ordering_helpers import deliver, notification, solitaire_order

pytestmark = pytest.mark.django_db


def overdue(order) -> None:
    Order.objects.filter(pk=order.id).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_expiry_cancels_only_overdue_orders_and_publishes_order_expired_once_when_run_twice():
    # given an overdue order and a fresh one
    old, fresh = solitaire_order("sol-x"), solitaire_order("sol-x")
    overdue(old)
    # when the robot runs twice
    first, second = bootstrap.expire_unpaid_orders(), tasks.expire_unpaid_orders()
    # then
    assert (first, second) == (1, 0)
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[old.id], statuses[fresh.id]) == ("cancelled", "pending_payment")
    row = Order.objects.get(pk=old.id)
    assert (row.cancel_reason, row.cancelled_at is not None) == ("expired", True)
    events = OutboxEvent.objects.filter(event_type="OrderExpired")
    assert [(e.aggregate_id, e.payload["order_id"], e.payload["solitaire_id"]) for e in events] == [
        (old.id, old.id, "sol-x")
    ]


def test_a_paid_order_is_never_expired():
    order = solitaire_order("sol-y")
    payment = bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id)
    deliver(notification(payment.payment_id))
    overdue(order)
    assert bootstrap.expire_unpaid_orders() == 0
    assert Order.objects.get(pk=order.id).status == "paid"
    assert not OutboxEvent.objects.filter(event_type="OrderExpired").exists()


def test_the_command_runs_the_same_service():
    order = solitaire_order("sol-z")
    overdue(order)
    out = StringIO()
    call_command("expire_orders", stdout=out)
    assert out.getvalue() == "1 orders expired.\n"
    assert Order.objects.get(pk=order.id).status == "cancelled"


def test_a_cancelled_order_cannot_be_cancelled_again_nor_paid():
    order = solitaire_order("sol-c")
    bootstrap.cancel_order(order_id=order.id, customer_id=order.customer_id)
    with pytest.raises(Conflict):
        bootstrap.cancel_order(order_id=order.id, customer_id=order.customer_id)
    with pytest.raises(Conflict):
        bootstrap.pay_order(order_id=order.id, customer_id=order.customer_id)
    assert OutboxEvent.objects.filter(event_type="OrderCancelled").count() == 1


def test_the_expiry_job_is_scheduled_every_minute():
    job = Schedule.objects.get(name="ordering.expire_unpaid_orders")
    assert (job.func, job.schedule_type, job.minutes, job.repeats) == (
        "contexts.ordering.tasks.expire_unpaid_orders",
        Schedule.MINUTES,
        1,
        -1,
    )
