"""The settlement runs' ledger, set-based: a batch of orders, however many and of however many
merchants, is settled by a fixed number of statements in one transaction: select and lock the
batch, lock its accounts, insert the new settlements and add to the others, mark the revenue
rows, insert the entries, move the cached balances.

The entries are copied from the revenue rows by one INSERT ... SELECT (after the revenue rows
got their fee and settlement): bulk_create would send every entry's values (up to four per
order, nine columns each) and on SQLite split them into statements of 999 parameters, 73
INSERTs for a batch of 2,000 resale orders instead of one. The UPDATEs that give each row its
own value (CASE key WHEN ...) are written out too: built as ORM Case/When expressions, a batch
of 2,000 orders took 1.8 s (1.4 s of it building them), written out 0.46 s, on PostgreSQL.
The SQL is portable: SQLite and PostgreSQL both run it.

Two runs at once: on PostgreSQL each batch is selected FOR UPDATE SKIP LOCKED, so a second run
takes other orders (or none) and never waits for the first; the accounts are locked in
merchant order, so two batches never deadlock. On SQLite a transaction takes the write lock
when it begins (IMMEDIATE), so the runs' batches simply take turns. Either way the revenue
update settles only rows still unsettled, and a batch that finds fewer rolls back."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q

from contexts.merchant_account import models
from contexts.merchant_account.domain.ledger import (
    AVAILABLE,
    COMMISSION_EARNED,
    COMMISSION_WITHHELD,
    ORDER_SETTLED,
    PENDING,
    PLATFORM_FEE,
)
from contexts.merchant_account.domain.ports import CommissionKey, OrderKey, SettlementLedger
from contexts.merchant_account.domain.settlement import (
    COMMISSIONS,
    ORDERS,
    Amounts,
    CommissionsBatch,
    CycleKey,
    OrdersBatch,
    Unsettled,
    Withheld,
)
from contexts.shared.adapters import sql
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_

Revenue = models.OrderRevenue
Account = models.MerchantAccount
UNSETTLED_COLUMNS = ("order_id", "merchant_id", "total_fen", "commission_fen", "completed_at")
OWED_COLUMNS = (
    "order_id",
    "affiliate_merchant_id",
    "commission_fen",
    "commission_cycle_start",
    "commission_cycle_end",
)


def _unsettled(as_of: datetime):
    return Revenue.objects.filter(settlement__isnull=True, reversed_at__isnull=True, completed_at__lt=as_of)


def _owed(as_of: datetime):
    return Revenue.objects.filter(
        settlement__isnull=False,
        commission_settlement__isnull=True,
        commission_fen__gt=0,
        commission_cycle_end__lte=as_of,
    )


def _after(field: str, key: tuple | None) -> Q:
    if key is None:
        return Q()
    at, order_id = key
    return Q(**{f"{field}__gt": at}) | Q(**{field: at, "order_id__gt": order_id})


class DjangoSettlementLedger(SettlementLedger):
    def count_unsettled(self, *, as_of: datetime) -> int:
        return _unsettled(as_of).count()

    def lock_unsettled(self, *, as_of: datetime, limit: int) -> list[Unsettled]:
        rows = _unsettled(as_of).select_for_update(skip_locked=True).order_by("completed_at", "order_id")
        return [Unsettled(*row) for row in rows.values_list(*UNSETTLED_COLUMNS)[:limit]]

    def peek_unsettled(self, *, as_of: datetime, after: OrderKey | None, limit: int) -> list[Unsettled]:
        rows = _unsettled(as_of).filter(_after("completed_at", after)).order_by("completed_at", "order_id")
        return [Unsettled(*row) for row in rows.values_list(*UNSETTLED_COLUMNS)[:limit]]

    def settle_orders(
        self,
        batch: OrdersBatch,
        *,
        settlement_of: dict[str, str],
        created: set[str],
        as_of: datetime,
        now: datetime,
    ) -> None:
        merchants = sorted(batch.merchants)
        _lock_accounts(merchants)
        amounts = {settlement_of[m]: batch.merchants[m] for m in merchants}
        _write_settlements(
            ORDERS,
            {sid: a for sid, a in amounts.items() if sid in created},
            {sid: a for sid, a in amounts.items() if sid not in created},
            merchant_of={settlement_of[m]: m for m in merchants},
            period_end_of=lambda _sid: as_of,
            now=now,
        )
        settled = _update(
            Revenue,
            "order_id",
            batch.order_ids,
            {
                "settlement_id": (
                    "{}",
                    _case(Revenue, "merchant_id", {m: settlement_of[m] for m in merchants}),
                ),
                "fee_fen": ("{}", _case(Revenue, "order_id", batch.fees)),
            },
            only=f"AND {_column(Revenue, 'settlement')} IS NULL "
            f"AND {_column(Revenue, 'reversed_at')} IS NULL",
        )
        if settled != len(batch.order_ids):
            raise Conflict(N_("Orders of this batch were settled or reversed meanwhile; run again."))
        _insert_order_entries(batch.order_ids, now)
        gross = _case(Account, "merchant_id", {m: a.gross_fen for m, a in batch.merchants.items()})
        net = _case(Account, "merchant_id", {m: a.net_fen for m, a in batch.merchants.items()})
        _move_balances(
            merchants, now, take={"pending_fen": gross}, add={"available_fen": net, "settled_total_fen": net}
        )

    def count_owed(self, *, as_of: datetime) -> int:
        return _owed(as_of).count()

    def lock_owed(self, *, as_of: datetime, limit: int) -> list[Withheld]:
        rows = _owed(as_of).select_for_update(skip_locked=True).order_by("commission_cycle_end", "order_id")
        return [Withheld(*row) for row in rows.values_list(*OWED_COLUMNS)[:limit]]

    def peek_owed(self, *, as_of: datetime, after: CommissionKey | None, limit: int) -> list[Withheld]:
        rows = _owed(as_of).filter(_after("commission_cycle_end", after))
        rows = rows.order_by("commission_cycle_end", "order_id")
        return [Withheld(*row) for row in rows.values_list(*OWED_COLUMNS)[:limit]]

    def settle_commissions(
        self, batch: CommissionsBatch, *, proposed: dict[CycleKey, str], now: datetime
    ) -> dict[CycleKey, str]:
        affiliates = sorted({key[0] for key in batch.cycles})
        # Holding the affiliates' accounts, this run alone may open their cycles' settlements.
        _lock_accounts(affiliates)
        known = models.Settlement.objects.filter(
            kind=COMMISSIONS,
            merchant_id__in=affiliates,
            period_end__in={key[2] for key in batch.cycles},
        ).values_list("merchant_id", "period_start", "period_end", "id")
        existing = {(m, start, end): sid for m, start, end, sid in known}
        ids = {key: existing.get(key) or proposed[key] for key in batch.cycles}
        _write_settlements(
            COMMISSIONS,
            {ids[key]: a for key, a in batch.cycles.items() if key not in existing},
            {ids[key]: a for key, a in batch.cycles.items() if key in existing},
            merchant_of={ids[key]: key[0] for key in batch.cycles},
            period_end_of={ids[key]: key[2] for key in batch.cycles}.__getitem__,
            now=now,
        )
        paid_by = {order_id: ids[key] for order_id, key in batch.cycle_of.items()}
        paid = _update(
            Revenue,
            "order_id",
            batch.order_ids,
            {"commission_settlement_id": ("{}", _case(Revenue, "order_id", paid_by))},
            only=f"AND {_column(Revenue, 'settlement')} IS NOT NULL "
            f"AND {_column(Revenue, 'commission_settlement')} IS NULL",
        )
        if paid != len(batch.order_ids):
            raise Conflict(N_("Commissions of this batch were paid meanwhile; run again."))
        _insert_commission_entries(batch.order_ids, now)
        earned: dict[str, int] = {}
        for (m, _start, _end), a in batch.cycles.items():
            earned[m] = earned.get(m, 0) + a.net_fen
        earned_case = _case(Account, "merchant_id", earned)
        _move_balances(
            affiliates, now, add={"available_fen": earned_case, "commission_total_fen": earned_case}
        )
        return ids

    def completed(self, settlement_ids: Iterable[str]) -> list[dict]:
        rows = models.Settlement.objects.filter(pk__in=list(settlement_ids)).order_by("created_at", "id")
        return [
            {
                "settlement_id": row["id"],
                "merchant_id": row["merchant_id"],
                "user_id": row["merchant__user_id"],
                "kind": row["kind"],
                "order_count": row["order_count"],
                "gross_fen": row["gross_fen"],
                "fee_fen": row["fee_fen"],
                "commission_fen": row["commission_fen"],
                "net_fen": row["net_fen"],
                "period_start": row["period_start"].isoformat(),
                "period_end": row["period_end"].isoformat(),
            }
            for row in rows.values(
                "id",
                "merchant_id",
                "merchant__user_id",
                "kind",
                "order_count",
                "gross_fen",
                "fee_fen",
                "commission_fen",
                "net_fen",
                "period_start",
                "period_end",
            )
        ]


def _lock_accounts(merchant_ids: list[str]) -> None:
    locked = models.MerchantAccount.objects.select_for_update().filter(merchant_id__in=merchant_ids)
    found = list(locked.order_by("merchant_id").values_list("merchant_id", flat=True))
    if len(found) != len(merchant_ids):
        missing = sorted(set(merchant_ids) - set(found))
        raise Conflict(N_("Merchants without an account: {ids}.", ids=", ".join(missing)))


def _write_settlements(
    kind: str,
    new: dict[str, Amounts],
    more: dict[str, Amounts],
    *,
    merchant_of: dict[str, str],
    period_end_of,
    now: datetime,
) -> None:
    """Insert the new settlements with the batch's figures (one statement) and add the batch's
    figures to the others (one statement)."""
    sql.insert(
        models.Settlement,
        [
            {
                "id": sid,
                "merchant_id": merchant_of[sid],
                "kind": kind,
                "period_start": a.period_start,
                "period_end": period_end_of(sid),
                "order_count": a.order_count,
                "gross_fen": a.gross_fen,
                "fee_fen": a.fee_fen,
                "commission_fen": a.commission_fen,
                "net_fen": a.net_fen,
                "created_at": now,
            }
            for sid, a in new.items()
        ],
    )
    if not more:
        return
    figures = ("order_count", "gross_fen", "fee_fen", "commission_fen", "net_fen")
    changes = {
        name: (
            "{column} + {}",
            _case(models.Settlement, "id", {sid: getattr(a, name) for sid, a in more.items()}),
        )
        for name in figures
    }
    start = _case(
        models.Settlement, "id", {sid: a.period_start for sid, a in more.items()}, value_of="period_start"
    )
    changes["period_start"] = ("CASE WHEN {} < {column} THEN {} ELSE {column} END", start, start)
    _update(models.Settlement, "id", list(more), changes)


Case = tuple[str, list]  # an SQL CASE expression and its parameters


def _case(model, key: str, values: dict, *, value_of: str = "") -> Case:
    """CASE key WHEN k THEN v ... END: one statement gives each row its own value (written out:
    as ORM expressions it cost more to build than to run, see above)."""
    params: list = []
    for k, v in values.items():
        params += [k, sql.value(model, value_of, v) if value_of else v]
    whens = " ".join(["WHEN %s THEN %s"] * len(values))
    return f"CASE {_column(model, key)} {whens} END", params


def _update(model, key: str, keys: list, changes: dict[str, tuple], *, only: str = "") -> int:
    """UPDATE model SET column = template ... WHERE key IN (keys) [only]; a template's {} take
    the CASE expressions that follow it, {column} is the column itself."""
    assignments, params = [], []
    for name, (template, *cases) in changes.items():
        column = _column(model, name)
        parts = template.replace("{column}", column).split("{}")
        expression = parts[0]
        for (case_sql, case_params), rest in zip(cases, parts[1:], strict=True):
            expression += case_sql + rest
            params += case_params
        assignments.append(f"{column} = {expression}")
    ids = ", ".join(["%s"] * len(keys))
    statement = (
        f"UPDATE {_q(model._meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {_column(model, key)} IN ({ids}) {only}"
    )
    return sql.execute(statement, [*params, *keys])


def _move_balances(
    merchant_ids: list[str], now: datetime, *, add: dict[str, Case], take: dict[str, Case] | None = None
) -> None:
    """Add (or take off) each merchant's amounts to its cached balances, in one statement."""
    changes: dict[str, tuple] = {name: ("{column} + {}", case) for name, case in add.items()}
    changes |= {name: ("{column} - {}", case) for name, case in (take or {}).items()}
    changes["updated_at"] = ("{}", ("%s", [sql.value(Account, "updated_at", now)]))
    _update(Account, "merchant_id", merchant_ids, changes)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'  # standard SQL: SQLite and PostgreSQL


def _column(model, name: str) -> str:
    return _q(sql.column(model, name).column)


ENTRY_COLUMNS = (
    "merchant",
    "kind",
    "balance",
    "amount_fen",
    "order",
    "order_no",
    "store_id",
    "settlement",
    "created_at",
)


def _insert_entries(select: str, order_ids: list[str], now: datetime) -> None:
    columns = ", ".join(_column(models.LedgerEntry, name) for name in ENTRY_COLUMNS)
    ids = ", ".join(["%s"] * len(order_ids))
    statement = (
        f"INSERT INTO {_q(models.LedgerEntry._meta.db_table)} ({columns}) {select} "
        f"AND r.{_column(Revenue, 'order_id')} IN ({ids})"
    )
    sql.execute(statement, [sql.value(models.LedgerEntry, "created_at", now), *order_ids])


def _literal(word: str) -> str:
    if not word.replace("_", "").isalpha():
        raise ValueError(word)
    return f"'{word}'"


def _insert_order_entries(order_ids: list[str], now: datetime) -> None:
    """Per order: order_settled -total pending and +total available, platform_fee -fee and (a
    resale order) commission_withheld -commission on available; a zero fee or commission
    writes no entry."""
    r = {
        name: f"r.{_column(Revenue, name)}" for name in ("merchant", "total_fen", "fee_fen", "commission_fen")
    }
    moves = " UNION ALL ".join(
        f"SELECT {part} AS part, {_literal(kind)} AS kind, {_literal(balance)} AS balance"
        for part, kind, balance in (
            (1, ORDER_SETTLED, PENDING),
            (2, ORDER_SETTLED, AVAILABLE),
            (3, PLATFORM_FEE, AVAILABLE),
            (4, COMMISSION_WITHHELD, AVAILABLE),
        )
    )
    select = (
        f"SELECT {r['merchant']}, m.kind, m.balance, "
        f"CASE m.part WHEN 1 THEN -{r['total_fen']} WHEN 2 THEN {r['total_fen']} "
        f"WHEN 3 THEN -{r['fee_fen']} ELSE -{r['commission_fen']} END, "
        f"{_shared_columns('settlement')}, %s "
        f"FROM {_q(Revenue._meta.db_table)} r CROSS JOIN ({moves}) m "
        f"WHERE (m.part <= 2 OR (m.part = 3 AND {r['fee_fen']} > 0) "
        f"OR (m.part = 4 AND {r['commission_fen']} > 0))"
    )
    _insert_entries(select, order_ids, now)


def _insert_commission_entries(order_ids: list[str], now: datetime) -> None:
    """Per order: commission_earned +commission on the affiliate's available balance."""
    select = (
        f"SELECT r.{_column(Revenue, 'affiliate_merchant')}, {_literal(COMMISSION_EARNED)}, "
        f"{_literal(AVAILABLE)}, r.{_column(Revenue, 'commission_fen')}, "
        f"{_shared_columns('commission_settlement')}, %s "
        f"FROM {_q(Revenue._meta.db_table)} r WHERE 1 = 1"
    )
    _insert_entries(select, order_ids, now)


def _shared_columns(settlement_field: str) -> str:
    """order id, order number, store id and the settlement, copied from the revenue row."""
    names = ("order_id", "order_no", "store_id", settlement_field)
    return ", ".join(f"r.{_column(Revenue, name)}" for name in names)
