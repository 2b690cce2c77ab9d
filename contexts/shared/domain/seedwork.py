import uuid
from dataclasses import dataclass, field
from typing import Any

from contexts.shared.domain.events import DomainEvent


def new_id() -> str:
    """Aggregate ids are born in the domain, so an aggregate has its identity before it is saved."""
    return str(uuid.uuid4())


@dataclass(eq=False)
class Entity:
    id: str

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.id == self.id  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.id))


@dataclass(eq=False)
class AggregateRoot(Entity):
    _events: list[DomainEvent] = field(default_factory=list, init=False, repr=False)

    def record(self, event_type: str, **payload: Any) -> DomainEvent:
        event = DomainEvent(
            event_type=event_type,
            aggregate_type=type(self).__name__,
            aggregate_id=str(self.id),
            payload=payload,
        )
        self._events.append(event)
        return event

    def pull_events(self) -> list[DomainEvent]:
        events, self._events = self._events, []
        return events
