"""Event handlers: one service call each. Repeated deliveries change nothing (the machinery
records (event, handler) with the effect; the services are idempotent per order as well)."""

from datetime import datetime

from contexts.shared.domain.events import DomainEvent
from contexts.solitaire import bootstrap


def _paid_at(event: DomainEvent) -> datetime:
    occurred = event.payload.get("occurred_at")
    return datetime.fromisoformat(occurred) if occurred else event.occurred_at


def _paid_order(event: DomainEvent) -> dict:
    payload = event.payload
    return {
        "order_id": payload["order_id"],
        "solitaire_id": payload.get("solitaire_id"),
        "customer_id": payload["customer_id"],
        "sequence_no": payload["sequence_no"],
        "lines": payload["lines"],
        "paid_at": _paid_at(event),
    }


def on_order_paid(event: DomainEvent) -> None:
    bootstrap.record_participation(**_paid_order(event))


def on_orders_paid(events: list[DomainEvent]) -> None:
    """on_order_paid's batch form (eventbus.subscribe)."""
    bootstrap.record_participations(orders=[_paid_order(event) for event in events])


def _release(event: DomainEvent, reason: str) -> None:
    payload = event.payload
    bootstrap.release_order_stock(
        order_id=payload["order_id"],
        solitaire_id=payload.get("solitaire_id"),
        lines=payload["lines"],
        reason=reason,
    )


def on_order_cancelled(event: DomainEvent) -> None:
    _release(event, "cancelled")


def on_order_expired(event: DomainEvent) -> None:
    _release(event, "expired")


def on_order_refunded(event: DomainEvent) -> None:
    _release(event, "refunded")
