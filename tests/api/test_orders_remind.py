"""POST /orders/{id}/remind: staff ask for a reminder to the customer, once per 10 minutes."""

import pytest
from django.utils import timezone

from contexts.ordering.models import Order
from contexts.shared.models import OutboxEvent
from tests.api.test_orders_world import build_world, paid, placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def remind(world, order_id: str, who: str = "clerk"):
    return world[who].post(f"/api/v1/orders/{order_id}/remind")


def reminders() -> list:
    return list(OutboxEvent.objects.filter(event_type="OrderReminderRequested").order_by("occurred_at"))


@pytest.mark.parametrize("who", ["owner", "manager", "clerk"])
def test_staff_ask_for_a_reminder_and_the_event_says_who(world, who):
    order = paid(world)
    response = remind(world, order["id"], who=who)
    assert (response.status_code, response.json()) == (202, {})
    [event] = reminders()
    row = Order.objects.get()
    requested_by = world[who].get("/api/v1/me").json()["id"]
    assert event.payload == {
        "order_id": order["id"],
        "order_no": order["order_no"],
        "store_id": world["store_id"],
        "customer_id": world["customer_id"],
        "requested_by": requested_by,
        "occurred_at": timezone.localtime(row.last_reminded_at).isoformat(),
    }


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("customer", 403, "permission_denied"),
        ("other_staff", 404, "not_found"),
        ("stranger", 404, "not_found"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_nobody_but_the_stores_staff_reminds(world, who, status, code):
    order = paid(world)
    response = remind(world, order["id"], who=who)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert (Order.objects.get().last_reminded_at, reminders()) == (None, [])


def test_an_unknown_order_is_not_found(world):
    response = remind(world, "no-such-order")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_only_a_paid_order_is_reminded(world):
    unpaid, done = placed(world), paid(world)
    assert world["customer"].post(f"/api/v1/orders/{done['id']}/confirm-receipt").status_code == 200
    for order in (unpaid, done):
        response = remind(world, order["id"])
        assert (response.status_code, response.json()["code"]) == (409, "invalid_state")
    assert reminders() == []


def test_one_reminder_per_order_per_ten_minutes(world, time_machine):
    # given a reminder just asked for
    order, other = paid(world), paid(world)
    assert remind(world, order["id"]).status_code == 202
    # when someone else asks again within 10 minutes, and for another order
    time_machine.advance(minutes=9, seconds=59)
    again = remind(world, order["id"], who="owner")
    another = remind(world, other["id"], who="owner")
    # then the first is throttled and nothing changed; the other order is not
    assert (again.status_code, again.json()["code"], another.status_code) == (429, "throttled", 202)
    assert again["Retry-After"] == "1"
    assert [e.aggregate_id for e in reminders()] == [order["id"], other["id"]]
    # and once 10 minutes passed, a reminder is allowed again
    time_machine.advance(seconds=1)
    assert remind(world, order["id"], who="owner").status_code == 202
    assert [e.aggregate_id for e in reminders()] == [order["id"], other["id"], order["id"]]
