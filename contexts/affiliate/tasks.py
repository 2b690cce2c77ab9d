"""Event handlers and robot entry points: one service call each."""

from contexts.affiliate import bootstrap
from contexts.shared.domain.events import DomainEvent


def on_store_created(event: DomainEvent) -> None:
    bootstrap.open_franchise(store_id=event.payload["store_id"])
