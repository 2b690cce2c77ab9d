"""Event handlers: each takes the event and calls one use case."""

from datetime import datetime

from contexts.goods import bootstrap
from contexts.goods.domain.defaults import SHANGHAI
from contexts.shared.domain.events import DomainEvent


def on_store_created(event: DomainEvent) -> None:
    """Default categories (by the season the store opened in) and hot words."""
    raw = event.payload.get("created_at")
    created_at = datetime.fromisoformat(raw) if raw else event.occurred_at
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=SHANGHAI)
    bootstrap.seed_store_defaults(store_id=event.payload["store_id"], created_at=created_at)


def on_order_paid(event: DomainEvent) -> None:
    bootstrap.count_order_sales(lines=event.payload["lines"])


def on_orders_paid(events: list[DomainEvent]) -> None:
    """on_order_paid's batch form (eventbus.subscribe)."""
    bootstrap.count_orders_sales(orders=[event.payload["lines"] for event in events])


def on_order_released(event: DomainEvent) -> None:
    bootstrap.release_order_stock(
        solitaire_id=event.payload.get("solitaire_id"), lines=event.payload["lines"]
    )


def on_order_refunded(event: DomainEvent) -> None:
    bootstrap.reverse_order_sales(lines=event.payload["lines"])
