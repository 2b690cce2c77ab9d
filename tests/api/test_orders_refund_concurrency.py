"""Real threads refunding one order at once, each in its own connection and transaction (as
web workers do): exactly one refund reaches the gateway, and one event is published."""

import pytest

from contexts.ordering import bootstrap as ordering
from contexts.ordering.models import Order, Refund
from contexts.shared.models import OutboxEvent
from tests.api.test_orders_refund import gateway_spy  # noqa: F401  (a fixture)
from tests.api.test_orders_world import build_world, paid
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_concurrent_refunds_of_one_order_refund_it_once(
    user_client,
    phone_client,
    api_client,
    gateway_spy,  # noqa: F811
):
    # given a paid order
    world = build_world(user_client, phone_client, api_client)
    order = paid(world)

    def refund():
        return ordering.refund_order(order_id=order["id"], user_id=world["customer_id"], reason="重复点击")

    # when five requests refund it at once
    outcomes = run_at_once([refund] * 5, on_success=lambda order: order.status)
    # then
    assert sorted(outcomes) == ["invalid_state"] * 4 + ["refunded"]
    assert Order.objects.get(pk=order["id"]).status == "refunded"
    assert (Refund.objects.count(), len(gateway_spy.refunds)) == (1, 1)
    assert OutboxEvent.objects.filter(event_type="OrderRefunded", aggregate_id=order["id"]).count() == 1
