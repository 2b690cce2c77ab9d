from django.db import transaction

from contexts.shared import eventbus
from contexts.shared.domain.events import DomainEvent
from contexts.shared.domain.ports import UnitOfWork


class DjangoUnitOfWork(UnitOfWork):
    """A database transaction; committed events go to the outbox inside it."""

    def _begin(self) -> None:
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def _write_events(self, events: list[DomainEvent]) -> None:
        eventbus.append_to_outbox(events)

    def _end(self, *, commit: bool, exc_type, exc, tb) -> None:
        if exc_type is None and not commit:
            transaction.set_rollback(True)
        self._atomic.__exit__(exc_type, exc, tb)
