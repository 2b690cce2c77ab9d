"""Solitaire's reactions to ordering's events on the real database and event machinery: each
delivered twice changes things once."""

from datetime import datetime, timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from contexts.shared import eventbus
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery, OutboxEvent
from contexts.solitaire.models import Participation, Solitaire, SolitaireItem, StockRelease
from tests.support.rows import goods_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    now = timezone.now()
    solitaire = Solitaire.objects.create(
        id="sol-1",
        store_id="store-1",
        title="接龙",
        status="published",
        start_at=now - timedelta(hours=1),
        end_at=now + timedelta(hours=1),
        pickup_point_ids=["p1"],
        created_at=now,
    )
    return SolitaireItem.objects.create(
        id="item-1",
        solitaire=solitaire,
        goods_id="g1",
        name="苹果",
        base_price_fen=1000,
        price_fen=900,
        stock=10,
        sold=3,
    )


def order_event(event_type: str, *, solitaire_id="sol-1", quantity=2, order_id="order-1", sequence_no=1):
    return DomainEvent(
        event_type=event_type,
        aggregate_type="Order",
        aggregate_id=order_id,
        payload={
            "order_id": order_id,
            "order_no": "20250601000001",
            "store_id": "store-1",
            "solitaire_id": solitaire_id,
            "resale_id": None,
            "customer_id": "customer-1",
            "sequence_no": sequence_no,
            "total_fen": 900 * quantity,
            "lines": [
                {
                    "goods_id": "g1",
                    "solitaire_item_id": "item-1",
                    "name": "苹果",
                    "price_fen": 900,
                    "quantity": quantity,
                }
            ],
            "contact_phone": "13700000000",
            "occurred_at": "2025-06-01T10:00:00+08:00",
        },
    )


def deliver(event: DomainEvent) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()


def redeliver(event: DomainEvent) -> None:
    """A second delivery of the same event to each handler (the at-least-once broker)."""
    EventDelivery.objects.filter(event_id=event.event_id).update(status="pending")
    OutboxEvent.objects.filter(pk=event.event_id).update(dispatched_at=None)
    for delivery in EventDelivery.objects.filter(event_id=event.event_id):
        eventbus.deliver(event_id=event.event_id, handler=delivery.handler)


def test_order_paid_makes_one_participation_even_when_delivered_twice(item):
    # given
    event = order_event("OrderPaid", quantity=2, sequence_no=7)
    # when
    deliver(event)
    redeliver(event)
    # then
    row = Participation.objects.get()
    assert (row.solitaire_id, row.order_id, row.customer_id, row.sequence_no, row.items) == (
        "sol-1",
        "order-1",
        "customer-1",
        7,
        [{"name": "苹果", "quantity": 2}],
    )
    assert row.joined_at == datetime.fromisoformat("2025-06-01T10:00:00+08:00")
    handler = "contexts.solitaire.tasks.on_order_paid"
    assert EventDelivery.objects.get(event_id=event.event_id, handler=handler).status == "done"


@pytest.mark.parametrize("event_type", ["OrderCancelled", "OrderExpired", "OrderRefunded"])
def test_an_ended_order_gives_its_stock_back_once(item, event_type):
    # given 3 sold, 2 of them by this order
    event = order_event(event_type, quantity=2)
    # when
    deliver(event)
    redeliver(event)
    # then
    item.refresh_from_db()
    assert item.sold == 1
    assert list(StockRelease.objects.values_list("order_id", "reason")) == [
        ("order-1", event_type.removeprefix("Order").lower())
    ]


def test_cancelled_then_expired_releases_once(item):
    deliver(order_event("OrderCancelled"))
    deliver(order_event("OrderExpired"))
    item.refresh_from_db()
    assert item.sold == 1


def test_a_refund_takes_the_participation_off_the_page(item):
    deliver(order_event("OrderPaid"))
    deliver(order_event("OrderRefunded"))
    assert Participation.objects.get().refunded_at is not None
    item.refresh_from_db()
    assert item.sold == 1


def test_orders_outside_a_solitaire_are_not_solitaires_business(item):
    goods_row("g1")  # goods gives such an order's stock back
    deliver(order_event("OrderPaid", solitaire_id=None))
    deliver(order_event("OrderCancelled", solitaire_id=None))
    item.refresh_from_db()
    assert (item.sold, Participation.objects.count(), StockRelease.objects.count()) == (3, 0, 0)


def test_a_release_never_takes_sold_below_zero(item):
    deliver(order_event("OrderCancelled", quantity=5))
    item.refresh_from_db()
    assert item.sold == 3
