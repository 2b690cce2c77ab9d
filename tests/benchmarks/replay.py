"""Record the SQL one request or use case issues, then replay it raw: the same statements in
the same transaction shape, with fresh ids, for the benchmark's comparisons."""

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

SAVEPOINT_NAME = re.compile(r'"s\d+_x\d+"')
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
# What a parameter that differs between two recorded runs is in a replay.
CUSTOMER, TOKEN_HASH, FRESH_UUID, NOW, UNIQUE = "customer", "token_hash", "uuid", "now", "unique"


@dataclass
class Statement:
    sql: str
    params: tuple | None
    transaction: int | None  # which outermost atomic() it ran in; None: autocommit


@dataclass
class Recorder:
    """A connection.execute_wrapper keeping each statement, its parameters and its transaction."""

    statements: list[Statement] = field(default_factory=list)
    blocks: list = field(default_factory=list)  # outermost atomic()s, held so each id stays unique

    def __call__(self, execute, sql, params, many, context):
        params = tuple(params) if params is not None else None
        self.statements.append(Statement(sql, params, self._transaction(context["connection"])))
        return execute(sql, params, many, context)

    def _transaction(self, conn) -> int | None:
        if not conn.in_atomic_block:
            return None
        outermost = conn.atomic_blocks[0]
        if not any(block is outermost for block in self.blocks):
            self.blocks.append(outermost)
        return next(i for i, block in enumerate(self.blocks) if block is outermost)


def record(fn, *args, **kwargs) -> tuple[list[Statement], object]:
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        result = fn(*args, **kwargs)
    return recorder.statements, result


def first_rows(statements: list[Statement]) -> list[tuple | None]:
    """Each SELECT's first row, read again after the run: a later parameter (the token's id,
    its user) may come from it."""
    rows = []
    with connection.cursor() as cursor:
        for s in statements:
            if s.sql.startswith("SELECT"):
                cursor.execute(s.sql, s.params)
                rows.append(cursor.fetchone())
            else:
                rows.append(None)
    return rows


@dataclass
class Script:
    steps: list[tuple[str, tuple | None, tuple, int | None]]
    sources: frozenset  # indexes of the SELECTs whose first row feeds a later parameter
    t0: datetime | None  # the second run's first fresh time: times move by (now - t0)

    @classmethod
    def build(cls, first, second, *, customers, tokens=("", "")) -> "Script":
        """Two recordings of one operation by two customers: a parameter equal in both is a
        constant; one that differs is the token's hash, a value read earlier, the customer, or
        made fresh per run."""
        if len(first) != len(second):
            raise ValueError(f"the two runs issued {len(first)} and {len(second)} statements")
        hashes = tuple(hashlib.sha256(t.encode()).hexdigest() for t in tokens)
        rows_a, rows_b = first_rows(first), first_rows(second)
        steps, sources = [], set()
        for a, b in zip(first, second, strict=True):
            if SAVEPOINT_NAME.sub("", a.sql) != SAVEPOINT_NAME.sub("", b.sql):
                raise ValueError(f"different statements:\n{a.sql}\n{b.sql}")
            kinds = []
            for x, y in zip(a.params or (), b.params or (), strict=True):
                kind = _kind(_frozen(x), _frozen(y), customers, hashes, rows_a, rows_b, len(steps))
                kinds.append(kind)
                if isinstance(kind, tuple):
                    sources.add(kind[1])
            params = None if b.params is None else tuple(_frozen(p) for p in b.params)
            steps.append((b.sql, params, tuple(kinds), b.transaction))
        times = [
            p for _s, params, kinds, _t in steps for p, k in zip(params or (), kinds, strict=True) if k == NOW
        ]
        return cls(steps, frozenset(sources), min(times, default=None))

    def run(self, cursor, *, customer_id: str = "", token: str = "") -> None:
        """Outside atomic() what ran outside it, one atomic() per transaction that ran. A
        conditional UPDATE that changed nothing (the stock is gone) rolls back, as the use case does."""
        env = {
            CUSTOMER: customer_id,
            TOKEN_HASH: hashlib.sha256(token.encode()).hexdigest(),
            "shift": timezone.now() - self.t0 if self.t0 else None,
            "fresh": {},
            "rows": {},
        }
        start = 0
        while start < len(self.steps):
            tx = self.steps[start][3]
            end = start
            while end < len(self.steps) and self.steps[end][3] == tx:
                end += 1
            if tx is not None:
                with transaction.atomic():
                    self._issue(cursor, start, end, env)
            else:
                self._issue(cursor, start, end, env)
            start = end

    def _issue(self, cursor, start: int, end: int, env: dict) -> None:
        for index in range(start, end):
            sql, params, kinds, _tx = self.steps[index]
            if params is not None:
                params = tuple(_param(p, k, env) for p, k in zip(params, kinds, strict=True))
            cursor.execute(sql, params)
            if sql.startswith("SELECT"):
                rows = cursor.fetchall()
                if index in self.sources:
                    env["rows"][index] = rows[0]
            elif sql.startswith("UPDATE") and cursor.rowcount == 0:
                raise NothingChanged(sql)

    def __len__(self) -> int:
        return len(self.steps)


class NothingChanged(Exception):
    pass


def _kind(a, b, customers, hashes, rows_a, rows_b, upto: int):
    if a == b:
        return None
    if (a, b) == hashes:
        return TOKEN_HASH
    if isinstance(a, datetime):  # before the rows: re-read after the run, they hold the new times
        return NOW
    for index in range(upto):
        row_a, row_b = rows_a[index], rows_b[index]
        for column in range(len(row_a or ())):
            if str(row_a[column]) == str(a) and str(row_b[column]) == str(b):
                return ("row", index, column)
    if (a, b) == customers:
        return CUSTOMER
    if isinstance(a, uuid.UUID) or (isinstance(a, str) and UUID_TEXT.match(a)):
        return FRESH_UUID
    if isinstance(a, str):
        return UNIQUE
    raise ValueError(f"no rule to refresh the parameter {a!r} (next run: {b!r})")


def _frozen(value):
    """Jsonb wraps a JSON parameter; keep its object so that the script pickles and compares."""
    return ("json", value.obj) if isinstance(value, Jsonb) else value


def _param(value, kind, env):
    if kind is None:
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "json":
            return Jsonb(value[1])
        return value
    if isinstance(kind, tuple):
        read = env["rows"][kind[1]][kind[2]]
        return str(read) if isinstance(value, str) else read
    if kind == NOW:
        return value + env["shift"]
    if kind in (CUSTOMER, TOKEN_HASH):
        return env[kind]
    fresh = env["fresh"]
    if value not in fresh:
        fresh[value] = _fresh(value)
    return fresh[value]


def _fresh(value):
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if UUID_TEXT.match(value):
        return str(uuid.uuid4()) if "-" in value else uuid.uuid4().hex
    # Random digits of the same length (an order number): unique across gunicorn's workers.
    return f"{uuid.uuid4().int:039d}"[-len(value) :]
