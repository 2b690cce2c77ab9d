"""South ports of customer: repositories and the unit of work. Users, stores and staff are
asked through the shared kernel's ports (UserDirectory, StoreDirectory, StoreAccess)."""

import abc
from datetime import datetime

from contexts.customer.domain.model import CustomerOrder, OrderCount, StoreCustomer
from contexts.shared.domain.ports import Repository, UnitOfWork


class CustomerRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, customer_id: str) -> StoreCustomer | None: ...

    @abc.abstractmethod
    def ensure(self, *, store_id: str, user_id: str, now: datetime) -> str:
        """The id of the (store, user) customer, created when missing. Safe when two use
        cases create it at once: one row, both get its id."""

    def ensure_all(self, keys: list[tuple[str, str]], *, now: datetime) -> dict[tuple[str, str], str]:
        """ensure() for each (store_id, user_id): {key: customer id}."""
        return {key: self.ensure(store_id=key[0], user_id=key[1], now=now) for key in keys}

    @abc.abstractmethod
    def save_annotations(self, customer: StoreCustomer) -> None:
        """Writes remark, tags and updated_at only, so a concurrent count is never undone."""

    @abc.abstractmethod
    def count_orders(self, counts: list[tuple[str, OrderCount, str]], *, now: datetime) -> None:
        """For each (customer id, count of its paid orders, nickname), one atomic write (never
        read-modify-write): count + count.count, total + count.total_fen; the first/last order
        times widen to the count's; the phone and the nickname are taken as OrderCount says:
        what counting each order in turn gives."""

    @abc.abstractmethod
    def uncount_order(self, customer_id: str, *, order: CustomerOrder, now: datetime) -> None:
        """Count -1 and total - order.total_fen, never below 0, atomically; first/last
        order times become those of the orders still counted."""


class CustomerOrderRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, order_id: str) -> CustomerOrder | None: ...

    @abc.abstractmethod
    def add(self, order: CustomerOrder) -> bool:
        """False, and nothing written, when that order_id is already recorded."""

    def known(self, order_ids: list[str]) -> set[str]:
        """Those of `order_ids` already recorded."""
        return {order_id for order_id in order_ids if self.get(order_id) is not None}

    def add_all(self, orders: list[CustomerOrder]) -> None:
        """Record orders none of which is recorded yet (raises if one is)."""
        for order in orders:
            if not self.add(order):
                raise RuntimeError(f"order {order.order_id} is recorded already")

    @abc.abstractmethod
    def mark_refunded(self, order_id: str) -> CustomerOrder | None:
        """Turns a counted order into a refunded one and returns it; None (and no change)
        when the order is not counted: unknown, or refunded already."""


class CustomerUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    orders: CustomerOrderRepository
