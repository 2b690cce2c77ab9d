"""Event handlers of staff: each takes the event and calls one use case."""

from datetime import datetime

from contexts.shared.domain.events import DomainEvent
from contexts.staff import bootstrap


def make_creator_owner(event: DomainEvent) -> None:
    payload = event.payload
    bootstrap.make_owner(
        store_id=payload["store_id"],
        user_id=payload["owner_id"],
        joined_at=datetime.fromisoformat(payload["created_at"]),
    )
