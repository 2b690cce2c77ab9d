"""South ports of merchant_account: repositories, the unit of work, and the settlement runs'
set-based ledger."""

import abc
from collections.abc import Iterable
from datetime import datetime

from contexts.merchant_account.domain.ledger import OrderRevenue
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.settlement import (
    CommissionsBatch,
    CycleKey,
    OrdersBatch,
    Unsettled,
    Withheld,
)
from contexts.shared.domain.ports import Repository, UnitOfWork

OrderKey = tuple[datetime, str]  # (completed_at, order_id): where a dry run's next batch starts
CommissionKey = tuple[datetime, str]  # (commission cycle end, order_id)


class MerchantRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_user(self, user_id: str) -> Merchant | None:
        """The user's merchant with its store ids."""

    @abc.abstractmethod
    def by_store(self, store_id: str) -> Merchant | None: ...

    def id_of_store(self, store_id: str) -> str | None:
        """The id of the merchant a store's revenue belongs to (an adapter may read less)."""
        merchant = self.by_store(store_id)
        return merchant.id if merchant else None

    @abc.abstractmethod
    def add(self, merchant: Merchant) -> None: ...

    @abc.abstractmethod
    def save(self, merchant: Merchant) -> None:
        """Writes the stores registered since it was loaded."""


class AccountRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_merchant(self, merchant_id: str) -> MerchantAccount | None:
        """Locked until the unit of work ends."""

    @abc.abstractmethod
    def add(self, account: MerchantAccount) -> None: ...

    def save(self, account: MerchantAccount) -> None:
        """Writes its balances and appends its new entries (the ledger's accounts do; opening
        a merchant never needs it)."""
        raise NotImplementedError


class RevenueRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, order_id: str, *, lock: bool = False) -> OrderRevenue | None: ...

    @abc.abstractmethod
    def add(self, revenue: OrderRevenue) -> bool:
        """Insert it unless the order was credited already; False then (a repeated event)."""

    @abc.abstractmethod
    def save(self, revenue: OrderRevenue) -> None:
        """Writes its reversal."""


class SettlementLedger(Repository, abc.ABC):
    """The runs' side of the ledger: batches read and written set-based, a bounded number of
    statements per batch whatever its number of orders or merchants."""

    @abc.abstractmethod
    def count_unsettled(self, *, as_of: datetime) -> int: ...

    @abc.abstractmethod
    def lock_unsettled(self, *, as_of: datetime, limit: int) -> list[Unsettled]:
        """Credited, unreversed, unsettled orders completed before as_of, oldest first, locked
        until the unit of work ends; rows another run has locked are skipped."""

    @abc.abstractmethod
    def peek_unsettled(self, *, as_of: datetime, after: OrderKey | None, limit: int) -> list[Unsettled]:
        """The same orders, read without a lock (a dry run), from `after` on."""

    @abc.abstractmethod
    def settle_orders(
        self,
        batch: OrdersBatch,
        *,
        settlement_of: dict[str, str],
        created: set[str],
        as_of: datetime,
        now: datetime,
    ) -> None:
        """Settle the batch: its merchants' settlements (`settlement_of`; those in `created`
        are new), the orders' fees and settlements, their entries and the cached balances."""

    @abc.abstractmethod
    def count_owed(self, *, as_of: datetime) -> int: ...

    @abc.abstractmethod
    def lock_owed(self, *, as_of: datetime, limit: int) -> list[Withheld]:
        """Settled resale orders whose commission is withheld and not paid, in cycles closed by
        as_of, locked until the unit of work ends; rows another run has locked are skipped."""

    @abc.abstractmethod
    def peek_owed(self, *, as_of: datetime, after: CommissionKey | None, limit: int) -> list[Withheld]: ...

    @abc.abstractmethod
    def settle_commissions(
        self, batch: CommissionsBatch, *, proposed: dict[CycleKey, str], now: datetime
    ) -> dict[CycleKey, str]:
        """Pay the batch: each cycle's settlement (the existing one, else a new one with the
        proposed id), the orders' commission settlements, their entries and the cached
        balances. Returns the settlement id of each cycle."""

    @abc.abstractmethod
    def completed(self, settlement_ids: Iterable[str]) -> list[dict]:
        """SettlementCompleted's payload of each settlement (contracts.py)."""


class MerchantUnitOfWork(UnitOfWork):
    merchants: MerchantRepository
    accounts: AccountRepository
    revenue: RevenueRepository
    settlements: SettlementLedger


class Progress:
    """Where a run reports how far it got (a terminal's progress bar); silent by default."""

    def start(self, total: int) -> None:
        """The number of orders the run expects (those it finds now; more may complete meanwhile)."""

    def advance(self, count: int) -> None:
        """`count` more orders done."""

    def finish(self) -> None: ...
