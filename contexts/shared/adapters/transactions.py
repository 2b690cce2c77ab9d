"""How units of work nest on one connection: a unit of work opened while another one (or a
handler's savepoint) is running joins that transaction without a savepoint of its own."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


def depth() -> int:
    return getattr(transaction.get_connection(), "groupbuy_uow_depth", 0)


def set_depth(value: int) -> None:
    transaction.get_connection().groupbuy_uow_depth = value


@contextmanager
def handler_savepoint() -> Iterator[None]:
    """One event handler's savepoint: the units of work the handler opens join it, so its
    effects roll back together, and only its own, for one SAVEPOINT round trip instead of one
    per unit of work."""
    with transaction.atomic():
        set_depth(depth() + 1)
        try:
            yield
        finally:
            set_depth(depth() - 1)
