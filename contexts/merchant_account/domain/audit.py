"""The rules audit_money checks, in plain Python: what entries a credited order must have,
given where its revenue row says its money is, and what a settlement's and an account's
figures must add up to. The adapter feeds them aggregated rows; each returns what is wrong."""

from collections.abc import Iterable
from dataclasses import dataclass

from contexts.merchant_account.domain.ledger import (
    AVAILABLE,
    COMMISSION_EARNED,
    COMMISSION_WITHHELD,
    ORDER_COMPLETED,
    ORDER_REVERSED,
    ORDER_SETTLED,
    PENDING,
    PLATFORM_FEE,
)
from contexts.merchant_account.domain.settlement import ORDERS


@dataclass(frozen=True)
class RevenueFacts:
    """An order's revenue row: where its money should be."""

    order_id: str
    order_no: str
    merchant_id: str
    affiliate_merchant_id: str | None
    total_fen: int
    commission_fen: int
    fee_fen: int | None
    settlement_id: str | None
    commission_settlement_id: str | None
    reversed: bool


@dataclass(frozen=True)
class EntryGroup:
    """The entries of one order of one kind and balance (and merchant and settlement)."""

    kind: str
    balance: str
    merchant_id: str
    settlement_id: str | None
    count: int
    fen: int


Expected = dict[
    tuple[str, str], tuple[str, str | None, int]
]  # (kind, balance) -> (merchant, settlement, fen)


def expected_entries(r: RevenueFacts) -> Expected:
    expected: Expected = {(ORDER_COMPLETED, PENDING): (r.merchant_id, None, r.total_fen)}
    if r.reversed:
        expected[(ORDER_REVERSED, PENDING)] = (r.merchant_id, None, -r.total_fen)
    if r.settlement_id is not None:
        s = r.settlement_id
        expected[(ORDER_SETTLED, PENDING)] = (r.merchant_id, s, -r.total_fen)
        expected[(ORDER_SETTLED, AVAILABLE)] = (r.merchant_id, s, r.total_fen)
        if r.fee_fen:
            expected[(PLATFORM_FEE, AVAILABLE)] = (r.merchant_id, s, -r.fee_fen)
        if r.commission_fen:
            expected[(COMMISSION_WITHHELD, AVAILABLE)] = (r.merchant_id, s, -r.commission_fen)
    if r.commission_settlement_id is not None:
        expected[(COMMISSION_EARNED, AVAILABLE)] = (
            r.affiliate_merchant_id,
            r.commission_settlement_id,
            r.commission_fen,
        )
    return expected


def _sum(groups: Iterable[EntryGroup], *kinds_balances: tuple[str, str]) -> int:
    return sum(g.fen for g in groups if (g.kind, g.balance) in kinds_balances)


def order_problems(r: RevenueFacts, groups: list[EntryGroup]) -> list[str]:
    """What is wrong with one credited order's money: nothing when every fen of its total is in
    exactly one place (all pending, or the brand's net + the fee + the commission) and its
    entries are the ones its state calls for, each once."""
    problems = []
    pending = _sum(groups, (ORDER_COMPLETED, PENDING), (ORDER_REVERSED, PENDING), (ORDER_SETTLED, PENDING))
    # What the brand's available balance got from the order, and what its entries took off.
    net = _sum(
        groups, (ORDER_SETTLED, AVAILABLE), (PLATFORM_FEE, AVAILABLE), (COMMISSION_WITHHELD, AVAILABLE)
    )
    withheld = -_sum(groups, (COMMISSION_WITHHELD, AVAILABLE))
    earned = _sum(groups, (COMMISSION_EARNED, AVAILABLE))
    if r.reversed:
        if pending or net:
            problems.append(f"refunded, yet pending {pending} and net {net} remain")
    elif r.settlement_id is None:
        if (pending, net) != (r.total_fen, 0):
            problems.append(f"unsettled total {r.total_fen} is not all pending: pending {pending}, net {net}")
    else:
        fee, commission = r.fee_fen or 0, r.commission_fen
        if pending != 0 or net + fee + commission != r.total_fen:
            problems.append(
                f"settled total {r.total_fen} != net + fee + commission: "
                f"pending {pending}, net {net}, fee {fee}, commission {commission}"
            )
    if earned not in (0, withheld) or (earned and r.commission_settlement_id is None):
        problems.append(f"commission withheld {withheld} != paid {earned} + owed")
    problems += _entry_problems(expected_entries(r), groups)
    return problems


def _entry_problems(expected: Expected, groups: list[EntryGroup]) -> list[str]:
    problems = []
    seen: dict[tuple[str, str], tuple[str, str | None, int]] = {}
    for g in groups:
        key = (g.kind, g.balance)
        if key in seen or g.count != 1:
            problems.append(f"{g.kind} on {g.balance} written more than once")
            continue
        seen[key] = (g.merchant_id, g.settlement_id, g.fen)
    for key in sorted(set(expected) | set(seen)):
        kind, balance = key
        want, got = expected.get(key), seen.get(key)
        if got is None:
            if not any((g.kind, g.balance) == key for g in groups):
                problems.append(f"{kind} on {balance} missing (expected {want[2]})")
        elif want is None:
            problems.append(f"{kind} on {balance} of {got[2]} should not exist")
        elif got != want:
            problems.append(
                f"{kind} on {balance} is {got[2]} for merchant {got[0]} in settlement {got[1]}, "
                f"expected {want[2]} for merchant {want[0]} in settlement {want[1]}"
            )
    return problems


@dataclass(frozen=True)
class SettlementFacts:
    id: str
    kind: str
    order_count: int
    gross_fen: int
    fee_fen: int
    commission_fen: int
    net_fen: int


def settlement_problems(
    s: SettlementFacts, sums: dict[tuple[str, str], tuple[int, int]], orders: int
) -> list[str]:
    """`sums`: (kind, balance) -> (count, fen) of the settlement's entries; `orders`: the
    revenue rows it settled (orders) or paid the commission of (commissions)."""

    def fen(kind, balance):
        return sums.get((kind, balance), (0, 0))[1]

    def count(kind, balance):
        return sums.get((kind, balance), (0, 0))[0]

    if s.kind == ORDERS:
        gross = fen(ORDER_SETTLED, AVAILABLE)
        actual = {
            "order_count": count(ORDER_SETTLED, AVAILABLE),
            "gross_fen": gross,
            "fee_fen": -fen(PLATFORM_FEE, AVAILABLE),
            "commission_fen": -fen(COMMISSION_WITHHELD, AVAILABLE),
            "net_fen": gross + fen(PLATFORM_FEE, AVAILABLE) + fen(COMMISSION_WITHHELD, AVAILABLE),
        }
    else:
        earned = fen(COMMISSION_EARNED, AVAILABLE)
        actual = {
            "order_count": count(COMMISSION_EARNED, AVAILABLE),
            "gross_fen": earned,
            "fee_fen": 0,
            "commission_fen": earned,
            "net_fen": earned,
        }
    problems = [
        f"{name} {getattr(s, name)} but its entries say {value}"
        for name, value in actual.items()
        if getattr(s, name) != value
    ]
    if orders != s.order_count:
        problems.append(f"order_count {s.order_count} but {orders} orders point to it")
    return problems


@dataclass(frozen=True)
class AccountFacts:
    merchant_id: str
    pending_fen: int
    available_fen: int
    settled_total_fen: int
    commission_total_fen: int


def account_problems(cached: AccountFacts, sums: AccountFacts) -> list[str]:
    """The cached balances against the sums of the merchant's entries (and, for the settled
    total, of the net of its orders settlements)."""
    names = ("pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")
    return [
        f"cached {name} {getattr(cached, name)} != {getattr(sums, name)} from the ledger"
        for name in names
        if getattr(cached, name) != getattr(sums, name)
    ]
