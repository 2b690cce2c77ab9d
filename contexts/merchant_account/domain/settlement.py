"""What a settlement run does to one batch of orders, in plain Python: the fee of each order and
the totals of each settlement the batch adds to. The adapter writes a batch's plan set-based, in
one transaction; nothing here touches a database.

An `orders` run settles the brand's credited orders: pending -total, available +total -fee
-commission (the commission is withheld for the affiliate). A `commissions` run pays the
withheld commissions of closed billing cycles to the affiliates: available +commission."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from contexts.merchant_account.domain.ledger import platform_fee
from contexts.shared.domain.values import Money

ORDERS = "orders"
COMMISSIONS = "commissions"
SETTLEMENT_KINDS = (ORDERS, COMMISSIONS)


@dataclass(frozen=True)
class Amounts:
    """A settlement's (or a batch's share of a settlement's) figures, in fen."""

    order_count: int
    gross_fen: int
    fee_fen: int
    commission_fen: int
    net_fen: int
    period_start: datetime


@dataclass
class _Sum:
    order_count: int = 0
    gross_fen: int = 0
    fee_fen: int = 0
    commission_fen: int = 0
    period_start: datetime | None = None

    def add(self, *, gross: int, fee: int, commission: int, at: datetime) -> None:
        self.order_count += 1
        self.gross_fen += gross
        self.fee_fen += fee
        self.commission_fen += commission
        self.period_start = at if self.period_start is None else min(self.period_start, at)


@dataclass(frozen=True)
class Unsettled:
    """A credited order not settled yet, as the orders run reads it."""

    order_id: str
    merchant_id: str
    total_fen: int
    commission_fen: int
    completed_at: datetime


@dataclass(frozen=True)
class OrdersBatch:
    order_ids: list[str]
    fees: dict[str, int]  # order id -> its platform fee
    merchants: dict[str, Amounts]  # merchant id -> what the batch adds to its settlement


def plan_orders_batch(rows: Iterable[Unsettled], *, fee_bps: int) -> OrdersBatch:
    """Each order's fee (rounded half-up once per order) and each merchant's totals; net =
    gross - fee - commission, never negative for an order."""
    fees: dict[str, int] = {}
    sums: dict[str, _Sum] = {}
    for row in rows:
        fee = platform_fee(Money(row.total_fen), fee_bps).fen
        if fee + row.commission_fen > row.total_fen:
            raise ValueError(f"order {row.order_id}: fee {fee} and commission {row.commission_fen} exceed it")
        fees[row.order_id] = fee
        sums.setdefault(row.merchant_id, _Sum()).add(
            gross=row.total_fen, fee=fee, commission=row.commission_fen, at=row.completed_at
        )
    merchants = {
        merchant_id: Amounts(
            order_count=s.order_count,
            gross_fen=s.gross_fen,
            fee_fen=s.fee_fen,
            commission_fen=s.commission_fen,
            net_fen=s.gross_fen - s.fee_fen - s.commission_fen,
            period_start=s.period_start,
        )
        for merchant_id, s in sums.items()
    }
    return OrdersBatch(order_ids=list(fees), fees=fees, merchants=merchants)


@dataclass(frozen=True)
class Withheld:
    """A settled resale order whose commission is owed to its affiliate."""

    order_id: str
    affiliate_merchant_id: str
    commission_fen: int
    cycle_start: datetime
    cycle_end: datetime


CycleKey = tuple[str, datetime, datetime]  # (affiliate merchant id, cycle start, cycle end)


@dataclass(frozen=True)
class CommissionsBatch:
    order_ids: list[str]
    cycle_of: dict[str, CycleKey]  # order id -> the affiliate's cycle it is paid in
    cycles: dict[CycleKey, Amounts]  # gross = commission = net, fee 0


def plan_commissions_batch(rows: Iterable[Withheld]) -> CommissionsBatch:
    cycle_of: dict[str, CycleKey] = {}
    sums: dict[CycleKey, _Sum] = {}
    for row in rows:
        if row.commission_fen <= 0:
            raise ValueError(f"order {row.order_id} owes no commission")
        key = (row.affiliate_merchant_id, row.cycle_start, row.cycle_end)
        cycle_of[row.order_id] = key
        sums.setdefault(key, _Sum()).add(gross=row.commission_fen, fee=0, commission=0, at=row.cycle_start)
    cycles = {
        key: Amounts(
            order_count=s.order_count,
            gross_fen=s.gross_fen,
            fee_fen=0,
            commission_fen=s.gross_fen,
            net_fen=s.gross_fen,
            period_start=key[1],
        )
        for key, s in sums.items()
    }
    return CommissionsBatch(order_ids=list(cycle_of), cycle_of=cycle_of, cycles=cycles)


@dataclass
class Tally:
    """A run's running totals, batch after batch."""

    orders: int = 0
    gross_fen: int = 0
    fee_fen: int = 0
    commission_fen: int = 0
    net_fen: int = 0

    def add(self, amounts: Iterable[Amounts]) -> None:
        for a in amounts:
            self.orders += a.order_count
            self.gross_fen += a.gross_fen
            self.fee_fen += a.fee_fen
            self.commission_fen += a.commission_fen
            self.net_fen += a.net_fen
