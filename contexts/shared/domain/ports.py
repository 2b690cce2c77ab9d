import abc
from datetime import datetime

from contexts.shared.domain.events import DomainEvent
from contexts.shared.domain.seedwork import AggregateRoot


class UnitOfWork(abc.ABC):
    """One use case's transaction: the aggregates it touched are saved and their events
    reach the outbox together, or nothing happens at all."""

    def __enter__(self) -> "UnitOfWork":
        self._seen: list[AggregateRoot] = []
        self._loose_events: list[DomainEvent] = []
        self._committed = False
        self._begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._end(commit=exc_type is None and self._committed, exc_type=exc_type, exc=exc, tb=tb)

    def collect(self, aggregate: AggregateRoot) -> None:
        if aggregate not in self._seen:
            self._seen.append(aggregate)

    def publish(self, event: DomainEvent) -> None:
        self._loose_events.append(event)

    def commit(self) -> None:
        events = [event for aggregate in self._seen for event in aggregate.pull_events()]
        events += self._loose_events
        self._loose_events = []
        self._write_events(events)
        self._committed = True

    @abc.abstractmethod
    def _begin(self) -> None: ...

    @abc.abstractmethod
    def _write_events(self, events: list[DomainEvent]) -> None: ...

    @abc.abstractmethod
    def _end(self, *, commit: bool, exc_type, exc, tb) -> None: ...


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime: ...
