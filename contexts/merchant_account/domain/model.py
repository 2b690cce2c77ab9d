"""The merchant (the legal party behind a user's stores) and its account. Pure Python."""

from dataclasses import dataclass, field
from datetime import datetime

from contexts.merchant_account.domain.ledger import (
    ORDER_COMPLETED,
    ORDER_REVERSED,
    PENDING,
    LedgerEntry,
    OrderRevenue,
)
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.values import Money


@dataclass(eq=False, kw_only=True)
class Merchant(AggregateRoot):
    """One per user: every store a user creates belongs to the same merchant, so settlement
    can find the merchant of any store."""

    user_id: str
    created_at: datetime
    store_ids: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, *, user_id: str, now: datetime) -> "Merchant":
        if not user_id:
            raise ValueError("a merchant belongs to a user")
        return cls(id=new_id(), user_id=user_id, created_at=now)

    def owns_store(self, store_id: str) -> bool:
        return store_id in self.store_ids

    def register_store(self, store_id: str) -> bool:
        """Record a store under this merchant; False when it already was (a repeated event)."""
        if not store_id:
            raise ValueError("a store id is required")
        if self.owns_store(store_id):
            return False
        self.store_ids.append(store_id)
        return True


@dataclass(eq=False, kw_only=True)
class MerchantAccount(AggregateRoot):
    """The merchant's balances: a cache of the sums of its ledger entries, changed only
    together with the entries that explain the change (audit_money reconciles them). Its own
    aggregate (not part of Merchant) because settlement writes it often and alone. The
    settlement runs move many accounts at once, set-based, in their adapter; the single-order
    movements are these methods, which record their entries in `new_entries`."""

    merchant_id: str
    pending: Money = field(default_factory=Money.zero)
    available: Money = field(default_factory=Money.zero)
    settled_total: Money = field(default_factory=Money.zero)
    commission_total: Money = field(default_factory=Money.zero)
    new_entries: list[LedgerEntry] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._check_balances()

    @classmethod
    def open(cls, *, merchant_id: str) -> "MerchantAccount":
        return cls(id=new_id(), merchant_id=merchant_id)

    def credit_order(self, revenue: OrderRevenue, *, now: datetime) -> LedgerEntry:
        """A completed order's total becomes pending."""
        return self._move_pending(revenue.entry(ORDER_COMPLETED, PENDING, revenue.total, now=now))

    def reverse_order(self, revenue: OrderRevenue, *, now: datetime) -> LedgerEntry:
        """A refunded order not yet settled: its total leaves pending again."""
        return self._move_pending(revenue.entry(ORDER_REVERSED, PENDING, Money(-revenue.total.fen), now=now))

    def _move_pending(self, entry: LedgerEntry) -> LedgerEntry:
        if entry.merchant_id != self.merchant_id:
            raise ValueError("an entry moves its own merchant's account")
        self.pending += entry.amount
        self._check_balances()
        self.new_entries.append(entry)
        return entry

    def _check_balances(self) -> None:
        for name in ("pending", "available", "settled_total", "commission_total"):
            if getattr(self, name).fen < 0:
                raise ValueError(f"{name} of a merchant account is never negative")
