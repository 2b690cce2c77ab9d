from django.db import transaction

from contexts.shared import eventbus
from contexts.shared.adapters import transactions
from contexts.shared.domain.events import DomainEvent
from contexts.shared.domain.ports import UnitOfWork


class DjangoUnitOfWork(UnitOfWork):
    """A database transaction; committed events go to the outbox inside it.

    A unit of work opened while another one is running (a use case calling another context's
    use case, e.g. joining a solitaire creates the order) joins the outer transaction without
    a savepoint: the outer use case's outcome decides for both, and the hot path of a join
    saves two round trips. An inner failure still rolls everything back. An event handler's
    units of work join its savepoint the same way (transactions.handler_savepoint)."""

    def _begin(self) -> None:
        depth = transactions.depth()
        self._joined = depth > 0
        transactions.set_depth(depth + 1)
        self._atomic = transaction.atomic(savepoint=not self._joined)
        self._atomic.__enter__()

    def _write_events(self, events: list[DomainEvent]) -> None:
        eventbus.append_to_outbox(events)

    def _end(self, *, commit: bool, exc_type, exc, tb) -> None:
        transactions.set_depth(transactions.depth() - 1)
        if exc_type is None and not commit and not self._joined:
            transaction.set_rollback(True)
        self._atomic.__exit__(exc_type, exc, tb)
