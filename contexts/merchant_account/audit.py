"""audit_money over the whole database (read side): every credited order's money in exactly one
place, each settlement's figures equal to its entries, each cached balance equal to the sums.

Set-based: a handful of aggregate queries whatever the size of the ledger (the revenue rows and
the entries grouped per order are both read in order id order and merged as they stream), the
rules in domain/audit.py. `audit_money()` is what the command, the tests and a property test
call; it returns the problems found, [] when all is conserved."""

from collections import defaultdict
from itertools import groupby

from django.db.models import Count, Sum

from contexts.merchant_account import models
from contexts.merchant_account.contracts import Problem
from contexts.merchant_account.domain.audit import (
    AccountFacts,
    EntryGroup,
    RevenueFacts,
    SettlementFacts,
    account_problems,
    order_problems,
    settlement_problems,
)
from contexts.merchant_account.domain.ledger import AVAILABLE, COMMISSION_EARNED, PENDING
from contexts.merchant_account.domain.settlement import ORDERS

CHUNK = 5000
REVENUE_COLUMNS = (
    "order_id",
    "order_no",
    "merchant_id",
    "affiliate_merchant_id",
    "total_fen",
    "commission_fen",
    "fee_fen",
    "settlement_id",
    "commission_settlement_id",
)


def credited_orders() -> int:
    return models.OrderRevenue.objects.count()


def audit_money() -> list[Problem]:
    return _orders() + _settlements() + _accounts()


def _orders() -> list[Problem]:
    revenue = (
        models.OrderRevenue.objects.order_by("order_id")
        .values_list(*REVENUE_COLUMNS, "reversed_at")
        .iterator(chunk_size=CHUNK)
    )
    grouped = (
        models.LedgerEntry.objects.values("order_id", "kind", "balance", "merchant_id", "settlement_id")
        .annotate(count=Count("id"), fen=Sum("amount_fen"))
        .order_by("order_id", "kind", "balance")
        .values_list("order_id", "kind", "balance", "merchant_id", "settlement_id", "count", "fen")
        .iterator(chunk_size=CHUNK)
    )
    entries = groupby(grouped, key=lambda row: row[0])
    problems = []
    pending_group = next(entries, None)
    for row in revenue:
        facts = RevenueFacts(*row[:-1], reversed=row[-1] is not None)
        groups: list[EntryGroup] = []
        # Entries are grouped by order id in the same order; every entry has its revenue row
        # (a foreign key), so a group's order is never behind the revenue rows.
        if pending_group is not None and pending_group[0] == facts.order_id:
            groups = [EntryGroup(*g[1:]) for g in pending_group[1]]
            pending_group = next(entries, None)
        problems += [Problem("order", facts.order_no, text) for text in order_problems(facts, groups)]
    return problems


def _settlements() -> list[Problem]:
    sums: dict[str, dict] = defaultdict(dict)
    rows = (
        models.LedgerEntry.objects.filter(settlement__isnull=False)
        .values("settlement_id", "kind", "balance")
        .annotate(count=Count("id"), fen=Sum("amount_fen"))
        .values_list("settlement_id", "kind", "balance", "count", "fen")
    )
    for settlement_id, kind, balance, count, fen in rows:
        sums[settlement_id][(kind, balance)] = (count, fen)
    settled = _counts("settlement_id")
    paid = _counts("commission_settlement_id")
    problems = []
    figures = ("id", "kind", "order_count", "gross_fen", "fee_fen", "commission_fen", "net_fen")
    for row in models.Settlement.objects.order_by("created_at", "id").values_list(*figures).iterator(CHUNK):
        s = SettlementFacts(*row)
        orders = (settled if s.kind == ORDERS else paid).get(s.id, 0)
        problems += [Problem("settlement", s.id, text) for text in settlement_problems(s, sums[s.id], orders)]
    return problems


def _counts(field: str) -> dict[str, int]:
    rows = models.OrderRevenue.objects.filter(**{f"{field}__isnull": False}).values(field)
    return dict(rows.annotate(n=Count("order_id")).values_list(field, "n"))


def _accounts() -> list[Problem]:
    balances = dict(
        ((merchant, balance), fen)
        for merchant, balance, fen in models.LedgerEntry.objects.values("merchant_id", "balance")
        .annotate(fen=Sum("amount_fen"))
        .values_list("merchant_id", "balance", "fen")
    )
    earned = dict(
        models.LedgerEntry.objects.filter(kind=COMMISSION_EARNED)
        .values("merchant_id")
        .annotate(fen=Sum("amount_fen"))
        .values_list("merchant_id", "fen")
    )
    settled = dict(
        models.Settlement.objects.filter(kind=ORDERS)
        .values("merchant_id")
        .annotate(fen=Sum("net_fen"))
        .values_list("merchant_id", "fen")
    )
    columns = ("merchant_id", "pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")
    problems = []
    for row in models.MerchantAccount.objects.order_by("merchant_id").values_list(*columns).iterator(CHUNK):
        cached = AccountFacts(*row)
        m = cached.merchant_id
        sums = AccountFacts(
            merchant_id=m,
            pending_fen=balances.get((m, PENDING), 0),
            available_fen=balances.get((m, AVAILABLE), 0),
            settled_total_fen=settled.get(m, 0),
            commission_total_fen=earned.get(m, 0),
        )
        problems += [Problem("merchant", m, text) for text in account_problems(cached, sums)]
    return problems
