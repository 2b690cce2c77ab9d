"""Event handlers and robot entry points: one service call each."""

from datetime import datetime, timedelta

from django.conf import settings

from contexts.merchant_account import bootstrap
from contexts.shared.domain.events import DomainEvent


def on_store_created(event: DomainEvent) -> None:
    bootstrap.open_merchant_for_store(store_id=event.payload["store_id"], owner_id=event.payload["owner_id"])


def on_order_completed(event: DomainEvent) -> None:
    payload = event.payload
    bootstrap.credit_completed_order(
        order_id=payload["order_id"],
        order_no=payload["order_no"],
        store_id=payload["store_id"],
        total_fen=payload["total_fen"],
        completed_at=datetime.fromisoformat(payload["occurred_at"]),  # the completion time
        resale_id=payload.get("resale_id"),
        affiliate_store_id=payload.get("affiliate_store_id"),
        commission_fen=payload.get("commission_fen", 0),
        billing_cycle=payload.get("billing_cycle"),
    )


def on_order_refunded(event: DomainEvent) -> None:
    bootstrap.reverse_refunded_order(order_id=event.payload["order_id"])


def _budget() -> timedelta:
    """Most of the cluster's task timeout: a long run stops between batches, before django-q2
    would kill it in one, and the next scheduled run goes on from there."""
    return timedelta(seconds=settings.Q_CLUSTER["timeout"] * 0.75)


def settle_orders() -> dict:
    return bootstrap.settle_orders(time_budget=_budget()).as_dict()


def settle_commissions() -> dict:
    return bootstrap.settle_commissions(time_budget=_budget()).as_dict()
