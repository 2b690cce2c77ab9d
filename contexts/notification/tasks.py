"""Event handlers and the retry job: each calls one use case and never raises for a failed send."""

from dataclasses import asdict

from contexts.notification import bootstrap
from contexts.notification.domain import model
from contexts.shared.domain.events import DomainEvent


def on_order_paid(event: DomainEvent) -> None:
    bootstrap.notify_order_paid(event_id=event.event_id, payload=event.payload)


def on_orders_paid(events: list[DomainEvent]) -> None:
    """on_order_paid's batch form (eventbus.subscribe)."""
    bootstrap.notify_orders(
        template=model.ORDER_PAID,
        events=[{"event_id": event.event_id, "payload": event.payload} for event in events],
    )


def on_order_completed(event: DomainEvent) -> None:
    bootstrap.notify_order_completed(event_id=event.event_id, payload=event.payload)


def on_orders_completed(events: list[DomainEvent]) -> None:
    """on_order_completed's batch form (eventbus.subscribe)."""
    bootstrap.notify_orders(
        template=model.ORDER_COMPLETED,
        events=[{"event_id": event.event_id, "payload": event.payload} for event in events],
    )


def on_order_refunded(event: DomainEvent) -> None:
    bootstrap.notify_order_refunded(event_id=event.event_id, payload=event.payload)


def on_order_reminder_requested(event: DomainEvent) -> None:
    bootstrap.notify_order_reminder(event_id=event.event_id, payload=event.payload)


def on_settlement_completed(event: DomainEvent) -> None:
    bootstrap.notify_settlement_completed(event_id=event.event_id, payload=event.payload)


def retry_failed_notifications() -> dict:
    return asdict(bootstrap.retry_failed_notifications())
