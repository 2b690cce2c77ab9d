"""Event handlers: each takes the event and calls one use case."""

from datetime import datetime
from zoneinfo import ZoneInfo

from contexts.customer import bootstrap
from contexts.shared.domain.events import DomainEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _paid_at(event: DomainEvent) -> datetime:
    raw = event.payload.get("occurred_at")
    paid_at = datetime.fromisoformat(raw) if isinstance(raw, str) and raw else event.occurred_at
    return paid_at if paid_at.tzinfo else paid_at.replace(tzinfo=SHANGHAI)


def _paid_order(event: DomainEvent) -> dict:
    payload = event.payload
    return {
        "order_id": payload["order_id"],
        "store_id": payload["store_id"],
        "user_id": payload["customer_id"],
        "total_fen": payload["total_fen"],
        "paid_at": _paid_at(event),
        "contact_phone": payload.get("contact_phone") or "",
    }


def on_order_paid(event: DomainEvent) -> None:
    bootstrap.count_paid_order(**_paid_order(event))


def on_orders_paid(events: list[DomainEvent]) -> None:
    """on_order_paid's batch form (eventbus.subscribe)."""
    bootstrap.count_paid_orders(orders=[_paid_order(event) for event in events])


def on_order_refunded(event: DomainEvent) -> None:
    bootstrap.uncount_refunded_order(
        order_id=event.payload["order_id"], total_fen=event.payload.get("total_fen") or 0
    )
