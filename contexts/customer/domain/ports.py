"""South ports of customer: repositories and the unit of work. Users, stores and staff are
asked through the shared kernel's ports (UserDirectory, StoreDirectory, StoreAccess)."""

import abc
from datetime import datetime

from contexts.customer.domain.model import CustomerOrder, PaidOrder, StoreCustomer
from contexts.shared.domain.ports import Repository, UnitOfWork


class CustomerRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, customer_id: str) -> StoreCustomer | None: ...

    @abc.abstractmethod
    def ensure(self, *, store_id: str, user_id: str, now: datetime) -> str:
        """The id of the (store, user) customer, created when missing. Safe when two use
        cases create it at once: one row, both get its id."""

    @abc.abstractmethod
    def save_annotations(self, customer: StoreCustomer) -> None:
        """Writes remark, tags and updated_at only, so a concurrent count is never undone."""

    @abc.abstractmethod
    def count_order(self, customer_id: str, *, order: PaidOrder, nickname: str, now: datetime) -> None:
        """Count +1 and total + order.total_fen in one atomic write (never read-modify-write);
        the first/last order times widen to order.paid_at; phone and nickname are taken when
        this order is the latest one."""

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

    @abc.abstractmethod
    def mark_refunded(self, order_id: str) -> CustomerOrder | None:
        """Turns a counted order into a refunded one and returns it; None (and no change)
        when the order is not counted: unknown, or refunded already."""


class CustomerUnitOfWork(UnitOfWork):
    customers: CustomerRepository
    orders: CustomerOrderRepository
