"""Completion by the robot (service, task, command, schedule), its race with refunds, the one
refund per order kept by the database, and the admin of the new fields."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.models import Schedule

from contexts.ordering import bootstrap, tasks
from contexts.ordering.models import Order, Payment, Refund
from contexts.shared.domain.errors import Conflict
from contexts.shared.models import OutboxEvent
from tests.integration.test_ordering_helpers import pay, solitaire_order

pytestmark = pytest.mark.django_db


def paid_order(solitaire_id: str = "sol-f", *, days_ago: float = 0):
    order = solitaire_order(solitaire_id)
    pay(order)
    Order.objects.filter(pk=order.id).update(paid_at=timezone.now() - timedelta(days=days_ago))
    return order


def completed_events() -> list[tuple]:
    return [
        (e.aggregate_id, e.payload["completed_by"])
        for e in OutboxEvent.objects.filter(event_type="OrderCompleted")
    ]


def test_the_robot_completes_only_overdue_paid_orders_and_publishes_once_when_run_twice(settings):
    # given orders paid 7 days ago, 6.9 days ago, and an unpaid one
    settings.ORDER_AUTO_COMPLETE_DAYS = 7
    overdue, young, unpaid = paid_order(days_ago=7), paid_order(days_ago=6.9), solitaire_order("sol-f")
    # when the robot runs twice (the task, then the use case)
    first, second = tasks.complete_overdue_orders(), bootstrap.complete_overdue_orders()
    # then
    assert (first, second) == (1, 0)
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert [statuses[o.id] for o in (overdue, young, unpaid)] == ["completed", "paid", "pending_payment"]
    row = Order.objects.get(pk=overdue.id)
    assert (row.completed_by, row.completed_at is not None) == ("system", True)
    assert completed_events() == [(overdue.id, "system")]
    [event] = OutboxEvent.objects.filter(event_type="OrderCompleted")
    assert event.payload["occurred_at"] == timezone.localtime(row.completed_at).isoformat()
    assert (event.payload["total_fen"], event.payload["sequence_no"]) == (1200, row.sequence_no)


def test_the_delay_comes_from_the_settings(settings):
    settings.ORDER_AUTO_COMPLETE_DAYS = 2
    order = paid_order(days_ago=2.1)
    assert bootstrap.complete_overdue_orders() == 1
    assert Order.objects.get(pk=order.id).status == "completed"


def test_the_command_runs_the_same_service():
    order = paid_order(days_ago=8)
    out = StringIO()
    call_command("complete_orders", stdout=out)
    assert out.getvalue() == "1 orders completed.\n"
    assert Order.objects.get(pk=order.id).status == "completed"


def test_the_completion_job_is_scheduled_every_ten_minutes():
    job = Schedule.objects.get(name="ordering.complete_overdue_orders")
    assert (job.func, job.schedule_type, job.minutes, job.repeats) == (
        "contexts.ordering.tasks.complete_overdue_orders",
        Schedule.MINUTES,
        10,
        -1,
    )


def test_an_order_the_robot_completed_cannot_be_refunded_and_a_refunded_one_is_never_completed():
    completed, refunded = paid_order(days_ago=8), paid_order(days_ago=8)
    bootstrap.refund_order(order_id=refunded.id, user_id=refunded.customer_id, reason="不要了")
    assert bootstrap.complete_overdue_orders() == 1
    with pytest.raises(Conflict):
        bootstrap.refund_order(order_id=completed.id, user_id=completed.customer_id, reason="晚了")
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert (statuses[completed.id], statuses[refunded.id]) == ("completed", "refunded")
    assert completed_events() == [(completed.id, "system")]
    assert OutboxEvent.objects.filter(event_type="OrderRefunded").count() == 1


def test_the_database_keeps_one_refund_per_order():
    order = paid_order()
    refund = bootstrap.refund_order(order_id=order.id, user_id=order.customer_id, reason="不要了")
    assert refund.status == "refunded"
    stored = Refund.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Refund.objects.create(
            id="another",
            order_id=order.id,
            payment=Payment.objects.get(),
            amount_fen=1200,
            reason="again",
            requested_by=order.customer_id,
            requested_by_role="customer",
            created_at=timezone.now(),
        )
    assert list(Refund.objects.values_list("pk", flat=True)) == [stored.pk]


@pytest.fixture
def operator(client):
    user = get_user_model().objects.create_superuser(username="root", password="pw", email="root@example.com")
    client.force_login(user)
    return client


def test_the_admin_shows_completions_and_refunds(operator):
    done, refunded = paid_order(days_ago=8), paid_order()
    bootstrap.complete_overdue_orders()
    bootstrap.refund_order(order_id=refunded.id, user_id=refunded.customer_id, reason="坏了一个")
    refund_id = Refund.objects.get().pk
    for url in (
        "/admin/ordering/order/?completed_by__exact=system",
        "/admin/ordering/order/?status__exact=refunded",
        f"/admin/ordering/order/{done.id}/change/",
        "/admin/ordering/refund/",
        "/admin/ordering/refund/?q=坏了",
        f"/admin/ordering/refund/{refund_id}/change/",
    ):
        response = operator.get(url)
        assert response.status_code == 200, url
    assert operator.get("/admin/ordering/order/?completed_by__exact=system").context["cl"].result_count == 1
    assert operator.get("/admin/ordering/refund/?q=坏了").context["cl"].result_count == 1
    assert "坏了一个" in operator.get(f"/admin/ordering/order/{refunded.id}/change/").content.decode()
