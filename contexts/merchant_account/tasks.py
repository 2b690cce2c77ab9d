"""Event handlers and robot entry points: one service call each."""

from contexts.merchant_account import bootstrap
from contexts.shared.domain.events import DomainEvent


def on_store_created(event: DomainEvent) -> None:
    bootstrap.open_merchant_for_store(store_id=event.payload["store_id"], owner_id=event.payload["owner_id"])
