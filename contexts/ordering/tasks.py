"""django-q2 entry points of ordering's robot."""

from contexts.ordering import bootstrap


def expire_unpaid_orders() -> int:
    return bootstrap.expire_unpaid_orders()


def complete_overdue_orders() -> int:
    return bootstrap.complete_overdue_orders()
