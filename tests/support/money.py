"""Money helpers for the ledger and settlement tests (and a property test): merchants opened as
StoreCreated opens them, order events of ordering's real shape (built by ordering's own Order
aggregate, so they follow its payload), published through the real event bus, and snapshots of
every row the ledger owns.

    brand = open_merchant()
    affiliate = open_merchant()
    event = complete_order(store_id=brand.store_id, total_fen=10000, completed_at=T0,
                           resale=resale_through(affiliate, commission_bps=1000))
"""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import TestCase

from contexts.merchant_account import bootstrap, models
from contexts.ordering.domain.model import ContactInfo, Order, OrderLine, PickupChoice, ResaleTerms, Snapshot
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import OutboxEvent
from tests.support.rows import goods_row

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=SHANGHAI)  # a Tuesday


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Shop:
    """A store and its merchant, opened as merchant_account's StoreCreated handler opens them."""

    store_id: str
    user_id: str
    merchant_id: str


def open_merchant(*, user_id: str | None = None, store_id: str | None = None) -> Shop:
    user_id, store_id = user_id or new_id(), store_id or new_id()
    opened = bootstrap.open_merchant_for_store(store_id=store_id, owner_id=user_id)
    return Shop(store_id=store_id, user_id=user_id, merchant_id=opened.merchant_id)


def resale_through(affiliate: Shop, *, commission_bps: int, billing_cycle: str = "daily") -> ResaleTerms:
    return ResaleTerms(
        resale_id=new_id(),
        affiliate_store_id=affiliate.store_id,
        commission_bps=commission_bps,
        billing_cycle=billing_cycle,
    )


@dataclass(frozen=True)
class OrderEvents:
    """One paid order's two possible ends: completed, or (before that) refunded."""

    completed: DomainEvent
    refunded: DomainEvent

    @property
    def order_id(self) -> str:
        return self.completed.payload["order_id"]

    @property
    def order_no(self) -> str:
        return self.completed.payload["order_no"]


def order_events(
    *,
    store_id: str,
    total_fen: int,
    completed_at: datetime = T0,
    resale: ResaleTerms | None = None,
    customer_id: str | None = None,
) -> OrderEvents:
    """A paid order of one line worth `total_fen`, completed at `completed_at` (OrderCompleted's
    occurred_at) or refunded then instead; ordering's Order records both events."""
    placed_at = completed_at - timedelta(days=1)
    order = Order.place(
        customer_id=customer_id or new_id(),
        store_id=store_id,
        solitaire_id=new_id() if resale else None,
        resale=resale,
        lines=[
            OrderLine(
                Snapshot(
                    goods_id=new_id(), solitaire_item_id=None, name="蛋", image_url="", price_fen=total_fen
                ),
                1,
            )
        ],
        pickup=PickupChoice(method="pickup", pickup_point_id=new_id()),
        contact=ContactInfo.of(name="王小明", phone="13700000000"),
        remark="",
        idempotency_key=None,
        now=placed_at,
        payment_timeout_seconds=900,
    )
    order.mark_paid(now=placed_at + timedelta(minutes=1), sequence_no=None, pickup_code="12345678")
    refunded = copy.deepcopy(order)
    order.complete(now=completed_at, by="customer")
    refunded.refund(now=completed_at, refund_id=new_id(), reason="不要了", by="customer")
    return OrderEvents(completed=order.pull_events()[-1], refunded=refunded.pull_events()[-1])


def publish(event: DomainEvent) -> None:
    """Commit the event to the outbox and relay it, as ordering's use case would: the
    subscribers' tasks run inline (the test settings' django-q2 is synchronous)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()


def refund_order(events: OrderEvents) -> None:
    """Publish the order's OrderRefunded; goods gives the stock back in its transaction, so the
    order's goods exist first (ordering's orders always have theirs)."""
    for line in events.refunded.payload["lines"]:
        goods_row(line["goods_id"], events.refunded.payload["store_id"], stock=0)
    publish(events.refunded)


def complete_order(**order) -> OrderEvents:
    """order_events(**order), its OrderCompleted published."""
    events = order_events(**order)
    publish(events.completed)
    return events


def credit_order(**order) -> OrderEvents:
    """order_events(**order), its OrderCompleted handed straight to merchant_account's handler
    (no outbox, no other subscriber): many credited orders, quickly."""
    from contexts.merchant_account import tasks

    events = order_events(**order)
    tasks.on_order_completed(events.completed)
    return events


def money_rows() -> dict:
    """Every row the ledger owns, and how many events there are: equal before and after means
    nothing was written."""
    return {
        "accounts": list(models.MerchantAccount.objects.order_by("pk").values()),
        "revenue": list(models.OrderRevenue.objects.order_by("pk").values()),
        "entries": list(models.LedgerEntry.objects.order_by("pk").values()),
        "settlements": list(models.Settlement.objects.order_by("pk").values()),
        "events": OutboxEvent.objects.count(),
    }


def balances(shop: Shop) -> dict:
    account = models.MerchantAccount.objects.get(merchant_id=shop.merchant_id)
    return {
        "pending_fen": account.pending_fen,
        "available_fen": account.available_fen,
        "settled_total_fen": account.settled_total_fen,
        "commission_total_fen": account.commission_total_fen,
    }


def entries_of(shop: Shop) -> list[tuple]:
    """(kind, balance, amount_fen, order_no) of the merchant's entries, sorted."""
    rows = models.LedgerEntry.objects.filter(merchant_id=shop.merchant_id)
    return sorted(rows.values_list("kind", "balance", "amount_fen", "order_no"))
