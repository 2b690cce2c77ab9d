"""`make run`'s demo gives a new operator an account and something to do: a platform operator
(not a superuser) and an administrator, one failed event delivery to retry, one failed
notification, a refunded order; the demo's money still adds up."""

import io

import pytest
from django.core.management import call_command

from bff.backoffice.operators import GROUP
from contexts.identity.models import User
from contexts.merchant_account.audit import audit_money
from contexts.notification.models import Notification
from contexts.ordering.models import Order
from contexts.shared import eventbus
from contexts.shared.models import EventDelivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_an_operator_an_administrator_and_failures_to_fix():
    # when
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    # then the printed logins work
    operator, root = User.objects.get(username="operator"), User.objects.get(username="root")
    assert (
        operator.is_staff,
        operator.is_superuser,
        list(operator.groups.values_list("name", flat=True)),
    ) == (
        True,
        False,
        [GROUP],
    )
    assert operator.check_password("operator-demo") and root.check_password("root-demo") and root.is_superuser
    assert "operator:      operator / operator-demo" in out.getvalue()
    assert "administrator: root / root-demo" in out.getvalue()
    # and the last payment's notice was never delivered: its handler failed every attempt
    [failed] = EventDelivery.objects.filter(status="failed")
    assert (failed.handler, failed.event.event_type, failed.attempts) == (
        "contexts.notification.tasks.on_order_paid",
        "OrderPaid",
        5,
    )
    assert "did not answer" in failed.last_error
    assert Notification.objects.filter(source_event_id=str(failed.event_id)).count() == 0
    # and the merchant's settlement notice failed in the sandbox
    [notice] = Notification.objects.filter(status="failed")
    assert (notice.template, notice.attempts) == ("settlement_completed", 1)
    assert sorted(Order.objects.values_list("status", flat=True)) == [
        "completed",
        "completed",
        "paid",
        "refunded",
    ]
    assert audit_money() == []


def test_the_failed_delivery_of_the_demo_is_done_once_retried():
    call_command("seed_demo", stdout=io.StringIO())
    failed = EventDelivery.objects.get(status="failed")
    assert eventbus.retry_deliveries(delivery_ids=[failed.pk]) == 1
    failed.refresh_from_db()
    assert failed.status == "done"
    assert Notification.objects.get(source_event_id=str(failed.event_id)).status == "sent"
