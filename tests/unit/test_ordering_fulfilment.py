"""Fulfilment and after-sale with in-memory fakes: pickup verification, completion, refunds and
reminders, with their permissions, their state errors and their events."""

import pytest

from contexts.ordering import services
from contexts.ordering.domain.payment import RefundFailed, refund_id_for
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Throttled
from tests.support.fakes import FakeAccess, FixedClock
from tests.support.ordering import NOW, FakeGateway, fake_uow
from tests.unit.test_ordering_services import notify, pay, place

STORE = "store-1"


@pytest.fixture
def uow():
    return fake_uow()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def gateway():
    return FakeGateway()


@pytest.fixture
def staff():
    return FakeAccess(
        {("owner-1", STORE): "owner", ("manager-1", STORE): "manager", ("clerk-1", STORE): "clerk"}
    )


def paid_order(uow, clock, gateway, customer_id="cust-1", transaction_id="tx-1"):
    order = place(uow, clock, customer_id=customer_id)
    notify(uow, clock, gateway, pay(uow, clock, gateway, order, customer_id), transaction_id=transaction_id)
    return uow.orders.get(order.id)


def verify(uow, clock, staff, code, user_id="clerk-1", store_id=STORE):
    return services.verify_pickup(
        uow=uow, clock=clock, access=staff, store_id=store_id, user_id=user_id, pickup_code=code
    )


def refund(uow, clock, gateway, staff, order, user_id="cust-1", reason="买错了"):
    return services.refund_order(
        uow=uow, clock=clock, gateway=gateway, access=staff, order_id=order.id, user_id=user_id, reason=reason
    )


def remind(uow, clock, staff, order, user_id="clerk-1"):
    return services.remind_customer(uow=uow, clock=clock, access=staff, order_id=order.id, user_id=user_id)


def test_verifying_a_pickup_code_completes_the_paid_order_and_hides_the_code(uow, clock, gateway, staff):
    # given a paid order
    order = paid_order(uow, clock, gateway)
    clock.advance(hours=2)
    # when a clerk verifies its code
    view = verify(uow, clock, staff, order.pickup_code)
    # then
    assert (view.id, view.status, view.completed_at, view.pickup_code) == (
        order.id,
        "completed",
        clock.now(),
        None,
    )
    event = uow.events[-1]
    assert (event.event_type, event.payload["completed_by"], event.payload["occurred_at"]) == (
        "OrderCompleted",
        "staff",
        clock.now().isoformat(),
    )


def test_a_code_verified_twice_is_invalid_state_and_publishes_once(uow, clock, gateway, staff):
    order = paid_order(uow, clock, gateway)
    verify(uow, clock, staff, order.pickup_code)
    with pytest.raises(Conflict) as error:
        verify(uow, clock, staff, order.pickup_code)
    assert error.value.code == "invalid_state"
    assert uow.event_types().count("OrderCompleted") == 1


def test_an_unknown_code_or_another_stores_code_is_not_found(uow, clock, gateway, staff):
    order = paid_order(uow, clock, gateway)
    staff.roles[("clerk-1", "store-2")] = "clerk"
    with pytest.raises(NotFound):
        verify(uow, clock, staff, "00000000" if order.pickup_code != "00000000" else "00000001")
    with pytest.raises(NotFound):
        verify(uow, clock, staff, order.pickup_code, store_id="store-2")
    assert uow.orders.get(order.id).status == "paid"


def test_only_the_stores_staff_verify(uow, clock, gateway, staff):
    # (a blank or overlong code is the serializer's 400: tests/api/test_orders_fulfilment.py)
    order = paid_order(uow, clock, gateway)
    for user_id in ("cust-1", "stranger"):
        with pytest.raises(PermissionDenied):
            verify(uow, clock, staff, order.pickup_code, user_id=user_id)
    assert uow.orders.get(order.id).status == "paid"


def test_the_paid_order_wins_a_code_lookup_over_an_older_completed_one(uow, clock, gateway, staff):
    # given a completed order and a paid one that got the same code (codes are unique among paid only)
    old = paid_order(uow, clock, gateway, transaction_id="tx-old")
    verify(uow, clock, staff, old.pickup_code)
    clock.advance(hours=1)
    new = paid_order(uow, clock, gateway, transaction_id="tx-new")
    uow.orders.rows[new.id].pickup_code = old.pickup_code
    # when / then
    assert verify(uow, clock, staff, old.pickup_code).id == new.id


def test_its_customer_confirms_receipt_once(uow, clock, gateway):
    order = paid_order(uow, clock, gateway)
    view = services.confirm_receipt(uow=uow, clock=clock, order_id=order.id, customer_id="cust-1")
    assert (view.status, view.pickup_code) == ("completed", order.pickup_code)
    assert uow.events[-1].payload["completed_by"] == "customer"
    with pytest.raises(Conflict):
        services.confirm_receipt(uow=uow, clock=clock, order_id=order.id, customer_id="cust-1")
    with pytest.raises(NotFound):
        services.confirm_receipt(uow=uow, clock=clock, order_id=order.id, customer_id="cust-2")


def test_an_unpaid_order_cannot_be_confirmed(uow, clock):
    order = place(uow, clock)
    with pytest.raises(Conflict):
        services.confirm_receipt(uow=uow, clock=clock, order_id=order.id, customer_id="cust-1")
    assert uow.orders.get(order.id).status == "pending_payment"


def test_the_robot_completes_only_overdue_paid_orders_once(uow, clock, gateway):
    # given an order paid 7 days ago, one paid 6 days ago and an unpaid one
    old = paid_order(uow, clock, gateway, transaction_id="tx-old")
    clock.advance(days=1)
    young = paid_order(uow, clock, gateway, transaction_id="tx-young")
    unpaid = place(uow, clock)
    clock.advance(days=6)
    # when the robot runs twice
    runs = [services.complete_overdue_orders(uow=uow, clock=clock, auto_complete_days=7) for _ in range(2)]
    # then
    assert runs == [1, 0]
    statuses = [uow.orders.get(o.id).status for o in (old, young, unpaid)]
    assert statuses == ["completed", "paid", "pending_payment"]
    completed = [e for e in uow.events if e.event_type == "OrderCompleted"]
    assert [(e.aggregate_id, e.payload["completed_by"]) for e in completed] == [(old.id, "system")]


def test_a_refund_by_its_customer_pays_back_the_payment_and_publishes_the_facts(uow, clock, gateway, staff):
    # given
    order = paid_order(uow, clock, gateway)
    clock.advance(minutes=5)
    # when
    view = refund(uow, clock, gateway, staff, order, reason="  不想要了 ")
    # then
    assert (view.status, view.refunded_at, view.refund_reason) == ("refunded", clock.now(), "不想要了")
    payment = uow.payments.for_order(order.id)
    assert gateway.refunds == [(payment.id, 1200)]
    assert (payment.status, payment.refund_id) == ("refunded", refund_id_for(order.id))
    stored = uow.refunds.for_order(order.id)
    assert (stored.id, stored.amount_fen, stored.reason, stored.requested_by, stored.requested_by_role) == (
        refund_id_for(order.id),
        1200,
        "不想要了",
        "cust-1",
        "customer",
    )
    assert stored.gateway_result == {"refund_id": stored.id, "status": "SUCCESS"}
    event = uow.events[-1]
    assert event.event_type == "OrderRefunded"
    assert event.payload == {
        "order_id": order.id,
        "order_no": order.order_no,
        "store_id": STORE,
        "solitaire_id": "sol-1",
        "resale_id": None,
        "affiliate_store_id": None,
        "commission_bps": 0,
        "commission_fen": 0,
        "billing_cycle": None,
        "customer_id": "cust-1",
        "sequence_no": 1,
        "total_fen": 1200,
        "lines": [
            {
                "goods_id": "goods-1",
                "solitaire_item_id": "item-1",
                "name": "鸡蛋",
                "price_fen": 1200,
                "quantity": 1,
            }
        ],
        "contact_phone": "13800000000",
        "occurred_at": clock.now().isoformat(),
        "refund_id": stored.id,
        "reason": "不想要了",
        "refunded_by": "customer",
    }


@pytest.mark.parametrize(("user_id", "outcome"), [("owner-1", "staff"), ("manager-1", "staff")])
def test_the_owner_and_the_manager_may_refund(uow, clock, gateway, staff, user_id, outcome):
    order = paid_order(uow, clock, gateway)
    view = refund(uow, clock, gateway, staff, order, user_id=user_id)
    assert (view.status, view.pickup_code) == ("refunded", None)
    assert uow.events[-1].payload["refunded_by"] == outcome


@pytest.mark.parametrize(("user_id", "error"), [("clerk-1", PermissionDenied), ("stranger", NotFound)])
def test_a_clerk_and_a_stranger_may_not_refund(uow, clock, gateway, staff, user_id, error):
    order = paid_order(uow, clock, gateway)
    with pytest.raises(error):
        refund(uow, clock, gateway, staff, order, user_id=user_id)
    assert (uow.orders.get(order.id).status, gateway.refunds, uow.refunds.rows) == ("paid", [], {})


def test_refunding_twice_a_completed_or_an_unpaid_order_is_invalid_state(uow, clock, gateway, staff):
    twice = paid_order(uow, clock, gateway, transaction_id="tx-1")
    refund(uow, clock, gateway, staff, twice)
    completed = paid_order(uow, clock, gateway, transaction_id="tx-2")
    services.confirm_receipt(uow=uow, clock=clock, order_id=completed.id, customer_id="cust-1")
    unpaid = place(uow, clock)
    for order in (twice, completed, unpaid):
        with pytest.raises(Conflict) as error:
            refund(uow, clock, gateway, staff, order)
        assert error.value.code == "invalid_state"
    assert len(gateway.refunds) == 1
    assert uow.event_types().count("OrderRefunded") == 1


def test_a_refund_the_gateway_refuses_changes_nothing(uow, clock, staff):
    gateway = FakeGateway(refuse=True)
    order = paid_order(uow, clock, gateway)
    events_before = list(uow.events)
    with pytest.raises(RefundFailed) as error:
        refund(uow, clock, gateway, staff, order)
    assert (error.value.code, uow.orders.get(order.id).status) == ("refund_failed", "paid")
    assert (uow.payments.for_order(order.id).status, uow.refunds.rows, uow.events) == (
        "succeeded",
        {},
        events_before,
    )


def test_a_refund_needs_a_reason(uow, clock, gateway, staff):
    order = paid_order(uow, clock, gateway)
    for reason in ("", "   ", "x" * 201, None):
        with pytest.raises(InvalidInput):
            refund(uow, clock, gateway, staff, order, reason=reason)
    assert uow.orders.get(order.id).status == "paid"


def test_a_reminder_is_published_and_throttled_for_ten_minutes(uow, clock, gateway, staff):
    # given a paid order reminded by a clerk
    order = paid_order(uow, clock, gateway)
    remind(uow, clock, staff, order)
    event = uow.events[-1]
    assert (event.event_type, event.payload) == (
        "OrderReminderRequested",
        {
            "order_id": order.id,
            "order_no": order.order_no,
            "store_id": STORE,
            "customer_id": "cust-1",
            "requested_by": "clerk-1",
            "occurred_at": clock.now().isoformat(),
        },
    )
    # when the owner asks again 9 minutes later, then 10 minutes after the first
    clock.advance(minutes=9, seconds=59)
    with pytest.raises(Throttled):
        remind(uow, clock, staff, order, user_id="owner-1")
    clock.advance(seconds=1)
    remind(uow, clock, staff, order, user_id="owner-1")
    # then
    assert uow.event_types().count("OrderReminderRequested") == 2


def test_reminders_are_for_paid_orders_and_for_staff_only(uow, clock, gateway, staff):
    unpaid = place(uow, clock)
    with pytest.raises(Conflict):
        remind(uow, clock, staff, unpaid)
    order = paid_order(uow, clock, gateway)
    with pytest.raises(PermissionDenied):
        remind(uow, clock, staff, order, user_id="cust-1")
    with pytest.raises(NotFound):
        remind(uow, clock, staff, order, user_id="stranger")
    assert uow.orders.get(order.id).last_reminded_at is None
    assert "OrderReminderRequested" not in uow.event_types()
