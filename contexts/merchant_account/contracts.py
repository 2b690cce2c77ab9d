"""Published language of merchant_account.

Reacts to StoreCreated (payload: store_id, owner_id, ...): the owner's merchant and account
exist afterwards, and the store is recorded under that merchant. Reacts to ordering's
OrderCompleted (the order's total becomes its store merchant's pending balance, once) and
OrderRefunded (a credited, unsettled order is reversed; ordering refunds only orders never
completed, which were never credited).

Publishes, after each settlement run, for each settlement the run created (best effort):
- SettlementCompleted {"settlement_id": str, "merchant_id": str, "user_id": str (the
  merchant's user), "kind": "orders" | "commissions", "order_count": int, "gross_fen": int,
  "fee_fen": int, "commission_fen": int, "net_fen": int, "period_start": ISO 8601,
  "period_end": ISO 8601}
An `orders` settlement's period runs from its earliest order's completion to the run's as-of;
a `commissions` settlement's period is the affiliate's billing cycle."""

from dataclasses import dataclass
from datetime import datetime

from contexts.shared.domain.values import Money

ENTRY_KINDS = (
    "order_completed",
    "order_settled",
    "platform_fee",
    "commission_withheld",
    "commission_earned",
    "order_reversed",
)
BALANCES = ("pending", "available")
SETTLEMENT_KINDS = ("orders", "commissions")


@dataclass(frozen=True)
class AccountView:
    """A merchant's balances, all in fen."""

    merchant_id: str
    pending_fen: int
    available_fen: int
    settled_total_fen: int
    commission_total_fen: int

    def as_dict(self) -> dict:
        return {
            "merchant_id": self.merchant_id,
            "pending_fen": self.pending_fen,
            "available_fen": self.available_fen,
            "settled_total_fen": self.settled_total_fen,
            "commission_total_fen": self.commission_total_fen,
        }


@dataclass(frozen=True)
class MerchantOpened:
    """What open_merchant_for_store did: the merchant of the store and what was new."""

    merchant_id: str
    merchant_created: bool
    store_added: bool


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: str
    balance: str
    amount_fen: int  # signed
    order_no: str
    settlement_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class SettlementView:
    id: str
    kind: str
    period_start: datetime
    period_end: datetime
    order_count: int
    gross_fen: int
    fee_fen: int
    commission_fen: int
    net_fen: int
    created_at: datetime


@dataclass(frozen=True)
class SettlementOrderView:
    """One order of a settlement. For a commissions settlement, the order whose commission it
    paid: its total, no fee, and the commission as both commission and net."""

    order_no: str
    store_id: str
    completed_at: datetime
    total_fen: int
    fee_fen: int
    commission_fen: int
    net_fen: int


def yuan(fen: int) -> str:
    return Money(fen).display()


@dataclass(frozen=True)
class RunSummary:
    """What a settlement run settled (or, dry, would settle)."""

    kind: str  # "orders" | "commissions"
    as_of: datetime
    dry_run: bool
    orders: int
    gross_fen: int
    fee_fen: int
    commission_fen: int
    net_fen: int
    settlements: int  # the settlements created or added to (0 for a dry run)

    def line(self) -> str:
        """orders N, gross ¥.. / .. fen, fee .., commission .., net .."""
        figures = [
            ("gross", self.gross_fen),
            ("fee", self.fee_fen),
            ("commission", self.commission_fen),
            ("net", self.net_fen),
        ]
        return ", ".join(
            [f"orders {self.orders}"] + [f"{name} {yuan(fen)} / {fen} fen" for name, fen in figures]
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "orders": self.orders,
            "gross_fen": self.gross_fen,
            "fee_fen": self.fee_fen,
            "commission_fen": self.commission_fen,
            "net_fen": self.net_fen,
            "settlements": self.settlements,
        }


@dataclass(frozen=True)
class Problem:
    """One thing audit_money found wrong: what (`order` by its number, `merchant`, `settlement`
    by id) and how."""

    subject: str
    ref: str
    detail: str

    def __str__(self) -> str:
        return f"{self.subject} {self.ref}: {self.detail}"


@dataclass(frozen=True)
class PlatformMoney:
    """For the operators' dashboard: revenue waiting for settlement, and the platform's fee."""

    pending_fen: int  # every merchant's pending balance: completed orders not settled yet
    fee_today_fen: int
    fee_period_fen: int
