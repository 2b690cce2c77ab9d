"""The settlement benchmark's Django side, run as `python -m tests.benchmarks.settle_driver
<command> <state.json>` with DJANGO_SETTINGS_MODULE=tests.benchmarks.settings and DATABASE_URL of
the bench database; each command prints one JSON line.

  seed         the state the OrderCompleted handler leaves for `size` orders completed before
               as_of (and size/100 after it), written by SQL (generate_series), then vacuumed,
               analysed and checkpointed, so that both runs start from the same disk state
  service      bootstrap.settle_orders as of as_of: seconds, statements (a counter in
               execute_wrapper, by phase and by statement), batches, peak RSS
  baseline     the same settlement as plain set-based SQL in one transaction (psycopg)
  fingerprint  what a run leaves: balances, settlements, entries by kind, per-order hashes

The seed is deterministic (ids are md5s of the row number, uuid-shaped like the real uuid4s), so
seeding twice gives the two runs the same data."""

import json
import re
import resource
import sys
import time
from collections import defaultdict
from datetime import datetime

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from contexts.merchant_account import bootstrap  # noqa: E402
from contexts.merchant_account.domain.ports import Progress  # noqa: E402

TABLES = {
    name: f"merchant_account_{name}"
    for name in ("merchant", "merchantstore", "merchantaccount", "settlement", "orderrevenue", "ledgerentry")
}

SEED = [
    "TRUNCATE {ledgerentry}, {orderrevenue}, {settlement}, {merchantaccount}, {merchantstore}, {merchant}",
    """INSERT INTO {merchant} (id, user_id, created_at)
       SELECT md5('merchant-' || m)::uuid::text, md5('user-' || m)::uuid::text, %(as_of)s - interval '90 days'
       FROM generate_series(0, %(merchants)s - 1) m""",
    """INSERT INTO {merchantstore} (merchant_id, store_id, added_at)
       SELECT md5('merchant-' || m)::uuid::text, md5('store-' || m)::uuid::text,
              %(as_of)s - interval '90 days'
       FROM generate_series(0, %(merchants)s - 1) m""",
    """INSERT INTO {merchantaccount}
         (id, merchant_id, pending_fen, available_fen, settled_total_fen, commission_total_fen, updated_at)
       SELECT md5('account-' || m)::uuid::text, md5('merchant-' || m)::uuid::text, 0, 0, 0, 0,
              %(as_of)s - interval '90 days'
       FROM generate_series(0, %(merchants)s - 1) m""",
    # Every fifth order came through a resale of another merchant (its affiliate), commission
    # 1000 bps rounded half-up; the brand's billing cycle (daily, weekly from Monday, monthly)
    # containing the completion, in Asia/Shanghai, as domain/cycles.py finds it. Completions are
    # spread over the week before as_of (the late ones: the hour after it), out of row order.
    """INSERT INTO {orderrevenue}
         (order_id, order_no, store_id, merchant_id, total_fen, completed_at, resale_id,
          affiliate_merchant_id, commission_fen, commission_cycle_start, commission_cycle_end,
          fee_fen, settlement_id, commission_settlement_id, reversed_at, credited_at)
       SELECT md5('order-' || i)::uuid::text, 'SB' || lpad(i::text, 14, '0'),
              md5('store-' || m)::uuid::text, md5('merchant-' || m)::uuid::text, total, completed_at,
              CASE WHEN resale THEN md5('resale-' || m || '-' || a)::uuid::text END,
              CASE WHEN resale THEN md5('merchant-' || a)::uuid::text END,
              CASE WHEN resale THEN (total * 1000 + 5000) / 10000 ELSE 0 END,
              CASE WHEN resale THEN date_trunc(unit, local) AT TIME ZONE 'Asia/Shanghai' END,
              CASE WHEN resale THEN (date_trunc(unit, local) + ('1 ' || unit)::interval)
                                    AT TIME ZONE 'Asia/Shanghai' END,
              NULL, NULL, NULL, NULL, completed_at + interval '2 seconds'
       FROM (SELECT i, m, (m + 1 + (i / 5) %% 7) %% %(merchants)s AS a,
                    (i / %(merchants)s) %% 5 = 0 AS resale,
                    500 + (i * 104729) %% 29500 AS total, completed_at,
                    completed_at AT TIME ZONE 'Asia/Shanghai' AS local,
                    (ARRAY['day', 'week', 'month'])[1 + m %% 3] AS unit
             FROM (SELECT i, i %% %(merchants)s AS m,
                          CASE WHEN i < %(size)s
                               THEN %(as_of)s - make_interval(secs => 1 + (i * 7919) %% 604800)
                               ELSE %(as_of)s + make_interval(secs => 1 + i %% 3600) END AS completed_at
                   FROM generate_series(0::bigint, %(size)s + %(late)s - 1) i) n) o""",
    """INSERT INTO {ledgerentry}
         (merchant_id, kind, balance, amount_fen, order_id, order_no, store_id, settlement_id, created_at)
       SELECT merchant_id, 'order_completed', 'pending', total_fen, order_id, order_no, store_id, NULL,
              credited_at
       FROM {orderrevenue} ORDER BY credited_at, order_id""",
    """UPDATE {merchantaccount} a SET pending_fen = s.total
       FROM (SELECT merchant_id, sum(total_fen) AS total FROM {orderrevenue} GROUP BY merchant_id) s
       WHERE a.merchant_id = s.merchant_id""",
]

# The baseline: settle_orders' effect in one transaction of plain SQL. Its settlements are told
# from earlier runs' by created_at = now(), the transaction's start, the same in every statement.
THIS_RUN = "s.kind = 'orders' AND s.created_at = now()"
UNSETTLED = "r.settlement_id IS NULL AND r.reversed_at IS NULL AND r.completed_at < %(as_of)s"
FEE = "(r.total_fen * %(fee_bps)s + 5000) / 10000"
BASELINE = {
    "INSERT settlement": f"""INSERT INTO {{settlement}}
         (id, merchant_id, kind, period_start, period_end, order_count, gross_fen, fee_fen,
          commission_fen, net_fen, created_at)
       SELECT gen_random_uuid()::text, merchant_id, 'orders', min(completed_at), %(as_of)s, count(*),
              sum(total_fen), sum(fee), sum(commission_fen), sum(total_fen) - sum(fee) - sum(commission_fen),
              now()
       FROM (SELECT r.merchant_id, r.completed_at, r.total_fen, r.commission_fen, {FEE} AS fee
             FROM {{orderrevenue}} r WHERE {UNSETTLED}) r
       GROUP BY merchant_id""",
    "UPDATE orderrevenue": f"""UPDATE {{orderrevenue}} r SET settlement_id = s.id, fee_fen = {FEE}
       FROM {{settlement}} s WHERE {THIS_RUN} AND s.merchant_id = r.merchant_id AND {UNSETTLED}""",
    "INSERT ledgerentry": f"""INSERT INTO {{ledgerentry}}
         (merchant_id, kind, balance, amount_fen, order_id, order_no, store_id, settlement_id, created_at)
       SELECT r.merchant_id, m.kind, m.balance,
              CASE m.part WHEN 1 THEN -r.total_fen WHEN 2 THEN r.total_fen WHEN 3 THEN -r.fee_fen
                          ELSE -r.commission_fen END,
              r.order_id, r.order_no, r.store_id, r.settlement_id, now()
       FROM {{orderrevenue}} r JOIN {{settlement}} s ON s.id = r.settlement_id AND {THIS_RUN}
       CROSS JOIN (VALUES (1, 'order_settled', 'pending'), (2, 'order_settled', 'available'),
                          (3, 'platform_fee', 'available'), (4, 'commission_withheld', 'available'))
                  AS m (part, kind, balance)
       WHERE m.part <= 2 OR (m.part = 3 AND r.fee_fen > 0) OR (m.part = 4 AND r.commission_fen > 0)""",
    "UPDATE merchantaccount": f"""UPDATE {{merchantaccount}} a SET pending_fen = a.pending_fen - s.gross_fen,
         available_fen = a.available_fen + s.net_fen, settled_total_fen = a.settled_total_fen + s.net_fen,
         updated_at = now()
       FROM {{settlement}} s WHERE {THIS_RUN} AND s.merchant_id = a.merchant_id""",
}

FINGERPRINT = {
    "accounts": """SELECT merchant_id, pending_fen, available_fen, settled_total_fen, commission_total_fen
                   FROM {merchantaccount} ORDER BY merchant_id""",
    "settlements": """SELECT merchant_id, kind, period_start, period_end, order_count, gross_fen, fee_fen,
                             commission_fen, net_fen
                      FROM {settlement} ORDER BY merchant_id, kind, period_start""",
    "entries": """SELECT kind, balance, count(*), sum(amount_fen),
                         sum(hashtext(order_id || kind || balance || amount_fen || merchant_id)::bigint)
                  FROM {ledgerentry} GROUP BY kind, balance ORDER BY kind, balance""",
    # Each entry's and each order's settlement is its merchant's: 0 strays on both sides.
    "stray_entries": """SELECT count(*) FROM {ledgerentry} e JOIN {settlement} s ON s.id = e.settlement_id
                        WHERE s.merchant_id <> e.merchant_id""",
    "revenue": """SELECT count(r.settlement_id), count(*) - count(r.settlement_id), sum(r.fee_fen),
                         sum(hashtext(r.order_id || coalesce(r.fee_fen, -1)
                                      || coalesce(s.merchant_id, '-'))::bigint)
                  FROM {orderrevenue} r LEFT JOIN {settlement} s ON s.id = r.settlement_id""",
}


def sql(template: str) -> str:
    return template.format(**TABLES)


def ru_maxrss_mb() -> float:
    """getrusage's peak (KB on Linux). Linux keeps it across execve: a child spawned by a big
    process (pytest) starts at its parent's peak, so it is reported, not judged."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    """This process image's own peak resident set (VmHWM), ru_maxrss where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return ru_maxrss_mb()


def seed(state: dict) -> dict:
    as_of = datetime.fromisoformat(state["as_of"])
    params = {**state, "as_of": as_of, "late": state["size"] // 100}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in SEED:
            cursor.execute(sql(statement), params)
        # Outside a transaction (Django autocommits): the same disk state before either run.
        for table in ("merchantaccount", "orderrevenue", "ledgerentry"):
            cursor.execute(f"VACUUM (ANALYZE) {TABLES[table]}")
        cursor.execute("CHECKPOINT")
        cursor.execute(sql("SELECT count(*) FROM {orderrevenue} WHERE completed_at < %(as_of)s"), params)
        (settleable,) = cursor.fetchone()
    return {"seconds": time.perf_counter() - started, "settleable": settleable, "late": params["late"]}


LABEL = re.compile(r'^\s*(SELECT|INSERT|UPDATE|DELETE)\b[^"]*"(\w+)"', re.S | re.I)


def label(statement: str) -> str:
    """`UPDATE merchant_account_orderrevenue`: what the statement does to which table."""
    found = LABEL.match(statement)
    if not found:
        return statement.split(None, 1)[0].upper()
    verb, table = found.groups()
    return f"{verb.upper()} {table.removeprefix('merchant_account_')}"


class Counter:
    """execute_wrapper: the number of statements and their time, by label, in O(labels) memory
    (CaptureQueriesContext would keep every statement of a million-order run)."""

    def __init__(self) -> None:
        self.count = 0
        self.by_label: dict[str, list] = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute, statement, params, many, context):
        started = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            self.count += 1
            figures = self.by_label[label(statement)]
            figures[0] += 1
            figures[1] += time.perf_counter() - started


class Recording(Progress):
    """Where the run's phases begin and end: statements and times at each batch's end."""

    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self.marks: list[tuple[int, float]] = []  # (statements, perf_counter) at start and each batch
        self.batch_sizes: list[int] = []
        self.finished: tuple[int, float] | None = None

    def start(self, total: int) -> None:
        self.total = total
        self.marks.append((self.counter.count, time.perf_counter()))

    def advance(self, count: int) -> None:
        self.batch_sizes.append(count)
        self.marks.append((self.counter.count, time.perf_counter()))

    def finish(self) -> None:
        self.finished = (self.counter.count, time.perf_counter())


def timed_commits() -> list:
    """[commits, seconds]: COMMIT is no statement execute_wrapper sees, and at commit
    PostgreSQL checks the deferred foreign keys of everything the transaction wrote."""
    figures, commit = [0, 0.0], connection.commit

    def timed() -> None:
        started = time.perf_counter()
        try:
            commit()
        finally:
            figures[0] += 1
            figures[1] += time.perf_counter() - started

    connection.commit = timed
    return figures


def service(state: dict) -> dict:
    as_of = datetime.fromisoformat(state["as_of"])
    counter = Counter()
    recording = Recording(counter)
    commits = timed_commits()
    rss_before = peak_rss_mb()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        summary = bootstrap.settle_orders(as_of=as_of, dry_run=False, progress=recording)
        seconds = time.perf_counter() - started
    marks = recording.marks
    batch_seconds = [after[1] - before[1] for before, after in zip(marks, marks[1:], strict=False)]
    batch_statements = [after[0] - before[0] for before, after in zip(marks, marks[1:], strict=False)]
    return {
        "seconds": seconds,
        "statements": counter.count,
        "batches": len(recording.batch_sizes),
        "phases": {
            "count": marks[0][0],
            "batches": recording.finished[0] - marks[0][0],
            "announce": counter.count - recording.finished[0],
        },
        "phase_seconds": {
            "count": marks[0][1] - started,
            "batches": recording.finished[1] - marks[0][1],
            "announce": started + seconds - recording.finished[1],
        },
        "batch_statements": sorted(set(batch_statements)),
        "batch_seconds": batch_seconds,
        "by_label": {name: {"count": n, "seconds": s} for name, (n, s) in sorted(counter.by_label.items())},
        "orders": summary.orders,
        "settlements": summary.settlements,
        "net_fen": summary.net_fen,
        "commits": commits[0],
        "commit_seconds": commits[1],
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "ru_maxrss_mb": ru_maxrss_mb(),
    }


def baseline(state: dict) -> dict:
    params = {"as_of": datetime.fromisoformat(state["as_of"]), "fee_bps": settings.PLATFORM_FEE_BPS}
    statements = []
    with psycopg.connect(state["database_url"]) as conn:
        started = time.perf_counter()
        with conn.transaction():
            for name, statement in BASELINE.items():
                at = time.perf_counter()
                rows = conn.execute(sql(statement), params).rowcount
                statements.append({"sql": name, "rows": rows, "seconds": time.perf_counter() - at})
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "statements": statements,
        "peak_rss_mb": peak_rss_mb(),
        "ru_maxrss_mb": ru_maxrss_mb(),
    }


def jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def fingerprint(_state: dict) -> dict:
    found = {}
    with connection.cursor() as cursor:
        for name, query in FINGERPRINT.items():
            cursor.execute(sql(query))
            found[name] = [[jsonable(v) for v in row] for row in cursor.fetchall()]
    return found


def main() -> None:
    command, path = sys.argv[1], sys.argv[2]
    with open(path) as file:
        state = json.load(file)
    found = {"seed": seed, "service": service, "baseline": baseline, "fingerprint": fingerprint}[command](
        state
    )
    print(json.dumps(found, default=str))


if __name__ == "__main__":
    main()
