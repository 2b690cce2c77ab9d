"""The ledger's vocabulary and an order's revenue: what a completed order brought its merchant,
where each fen of it went, and the rule for a refund. Pure Python.

Every fen of a credited order ends in exactly one place: still pending for its merchant, or
(once settled) the merchant's available balance, the platform fee, or the affiliate's
commission (withheld from the brand, owed until a commission run pays it)."""

from dataclasses import dataclass, field
from datetime import datetime

from contexts.merchant_account.domain.cycles import Cycle, cycle_containing
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.seedwork import AggregateRoot
from contexts.shared.domain.values import Money

ORDER_COMPLETED = "order_completed"
ORDER_REVERSED = "order_reversed"
ORDER_SETTLED = "order_settled"
PLATFORM_FEE = "platform_fee"
COMMISSION_WITHHELD = "commission_withheld"
COMMISSION_EARNED = "commission_earned"
KINDS = (ORDER_COMPLETED, ORDER_SETTLED, PLATFORM_FEE, COMMISSION_WITHHELD, COMMISSION_EARNED, ORDER_REVERSED)

PENDING = "pending"
AVAILABLE = "available"
BALANCES = (PENDING, AVAILABLE)

# The balance each kind moves and its sign (+1 credits, -1 debits). order_settled moves the
# total from pending (-) to available (+): two entries of the same kind.
MOVES = {
    (ORDER_COMPLETED, PENDING): +1,
    (ORDER_REVERSED, PENDING): -1,
    (ORDER_SETTLED, PENDING): -1,
    (ORDER_SETTLED, AVAILABLE): +1,
    (PLATFORM_FEE, AVAILABLE): -1,
    (COMMISSION_WITHHELD, AVAILABLE): -1,
    (COMMISSION_EARNED, AVAILABLE): +1,
}


class SettledOrderRefunded(Conflict):
    """A refund of an order whose revenue was settled already: settled money is never taken
    back silently, so the handler fails and an operator sees it (the admin's failed deliveries)."""


@dataclass(frozen=True, kw_only=True)
class LedgerEntry:
    merchant_id: str
    kind: str
    balance: str
    amount: Money
    order_id: str
    order_no: str
    store_id: str
    created_at: datetime
    settlement_id: str | None = None

    def __post_init__(self) -> None:
        sign = MOVES.get((self.kind, self.balance))
        if sign is None:
            raise ValueError(f"{self.kind} never moves the {self.balance} balance")
        if self.amount.fen * sign < 0:
            raise ValueError(f"a {self.kind} entry on {self.balance} has the sign {sign:+d}")


@dataclass(eq=False, kw_only=True)
class OrderRevenue(AggregateRoot):
    """A completed order's revenue, credited once (its id is the order's id). The terms come
    from the order (its commission computed once by ordering, at the brand's rate when it was
    placed); the fee and the settlements are filled in by the runs."""

    order_no: str
    store_id: str
    merchant_id: str
    total: Money
    completed_at: datetime
    resale_id: str | None = None
    affiliate_merchant_id: str | None = None
    commission: Money = field(default_factory=Money.zero)
    commission_cycle: Cycle | None = None
    fee: Money | None = None
    settlement_id: str | None = None
    commission_settlement_id: str | None = None
    reversed_at: datetime | None = None
    credited_at: datetime | None = None

    @classmethod
    def credit(
        cls,
        *,
        order_id: str,
        order_no: str,
        store_id: str,
        merchant_id: str,
        total: Money,
        completed_at: datetime,
        resale_id: str | None,
        affiliate_merchant_id: str | None,
        commission: Money,
        billing_cycle: str | None,
        now: datetime,
    ) -> "OrderRevenue":
        if not order_id or not merchant_id:
            raise ValueError("revenue belongs to an order and a merchant")
        if total.fen < 0 or not 0 <= commission.fen <= total.fen:
            raise ValueError("a commission is a part of a non-negative total")
        if bool(resale_id) != bool(affiliate_merchant_id):
            raise ValueError("a resale order names its affiliate, and only a resale order does")
        if commission.fen and not resale_id:
            raise ValueError("only a resale order owes a commission")
        cycle = None
        if resale_id:
            if not billing_cycle:
                raise ValueError("a resale order carries the brand's billing cycle")
            cycle = cycle_containing(completed_at, billing_cycle)
        return cls(
            id=order_id,
            order_no=order_no,
            store_id=store_id,
            merchant_id=merchant_id,
            total=total,
            completed_at=completed_at,
            resale_id=resale_id or None,
            affiliate_merchant_id=affiliate_merchant_id or None,
            commission=commission,
            commission_cycle=cycle,
            credited_at=now,
        )

    @property
    def settled(self) -> bool:
        return self.settlement_id is not None

    @property
    def reversed(self) -> bool:
        return self.reversed_at is not None

    def reverse(self, *, now: datetime) -> bool:
        """The order was refunded. Not settled yet: its credit is reversed (True). Reversed
        already: nothing more (False). Settled: refused, SettledOrderRefunded."""
        if self.settled:
            raise SettledOrderRefunded(
                f"Order {self.order_no} was settled already; its refund needs an operator."
            )
        if self.reversed:
            return False
        self.reversed_at = now
        return True

    def entry(self, kind: str, balance: str, amount: Money, *, now: datetime) -> LedgerEntry:
        return LedgerEntry(
            merchant_id=self.merchant_id,
            kind=kind,
            balance=balance,
            amount=amount,
            order_id=self.id,
            order_no=self.order_no,
            store_id=self.store_id,
            created_at=now,
        )


def platform_fee(total: Money, fee_bps: int) -> Money:
    """The platform's fee of one order: round_half_up(total x bps / 10000), once per order."""
    return total.share_bps(fee_bps)
