"""Event handlers of store: each takes the event and calls one use case."""

from contexts.shared.domain.events import DomainEvent
from contexts.store import bootstrap


def apply_default_door_image(event: DomainEvent) -> None:
    bootstrap.apply_default_door_image(store_id=event.payload["store_id"])
