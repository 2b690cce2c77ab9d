"""Turn the statements two customers' POST /api/v1/orders issued into one pgbench custom script
issuing the same writes: the same statements in the same transactions (BEGIN … COMMIT), a
parameter equal in both recordings as a constant, one that differs as what it is for a join of
pgbench's own: its customer (a row of bench_customer picked at random), a fresh UUID or unique
string (from a random number per transaction), or a time (now() plus the same offset).

pgbench runs it with `--define=bench_pool=<rows of bench_customer>`; its variables are
`:bench_c` (the customer) and `:bench_r` (the transaction's random number)."""

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from psycopg import sql as pgsql
from psycopg.types.json import Jsonb

PLACEHOLDER = re.compile(r"%s|%%")
SAVEPOINT_NAME = re.compile(r'"s\d+_x\d+"')
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
MARK = re.compile(r"@@bench:(\d+)@@")
HEADER = "\\set bench_c random(1, :bench_pool)\n\\set bench_r random(1, 9223372036854775806)\n"


@dataclass(frozen=True)
class Customer:
    user_id: str
    token_id: str
    key_hash: str
    token: str = ""


@dataclass
class Statement:
    sql: str
    params: tuple | None
    transaction: int | None  # which transaction (1, 2, …) it ran in; None: autocommit


@dataclass
class Recorder:
    """A connection.execute_wrapper keeping each statement with its parameters and transaction.
    A transaction starts at a statement run outside autocommit while none is open, and ends
    when it commits (transaction.on_commit)."""

    started: datetime
    statements: list[Statement] = field(default_factory=list)
    count: int = 0
    open: bool = False

    def __call__(self, execute, sql, params, many, context):
        in_transaction = None
        if not connection.get_autocommit():
            if not self.open:
                self.count, self.open = self.count + 1, True
                transaction.on_commit(self._committed)
            in_transaction = self.count
        self.statements.append(Statement(sql, tuple(params) if params is not None else None, in_transaction))
        return execute(sql, params, many, context)

    def _committed(self):
        self.open = False


def build(runs: list[Recorder], customers: tuple[Customer, Customer]) -> str:
    """The pgbench script of two recordings of the same request by two customers."""
    first, second = (run.statements for run in runs)
    if [_shape(s) for s in first] != [_shape(s) for s in second]:
        raise ValueError("the two recordings issued different statements")
    fresh = Fresh(customers, runs[0].started, runs[1].started)
    lines, open_transaction = [HEADER], None
    for a, b in zip(first, second, strict=True):
        if b.transaction != open_transaction:
            if open_transaction is not None:
                lines.append("COMMIT;\n")
            if b.transaction is not None:
                lines.append("BEGIN;\n")
            open_transaction = b.transaction
        params = zip(a.params or (), b.params or (), strict=True)
        lines.append(_render(b.sql, [fresh.expression(x, y) for x, y in params]))
    if open_transaction is not None:
        lines.append("COMMIT;\n")
    return "".join(lines)


def _shape(statement: Statement) -> tuple:
    return SAVEPOINT_NAME.sub('"s"', statement.sql), len(statement.params or ()), statement.transaction


def _render(sql: str, expressions: list[str]) -> str:
    values = iter(expressions)
    text = PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else next(values), sql)
    if next(values, None) is not None:
        raise ValueError(f"more parameters than placeholders: {sql}")
    return text.replace("\n", " ") + ";\n"


class Fresh:
    """What a parameter of the second recording becomes in pgbench's join, given the first's."""

    def __init__(self, customers: tuple[Customer, Customer], *started: datetime):
        self.customers, self.started = customers, started
        self.made: dict[object, int] = {}  # each value made fresh, numbered: one value, one name

    def expression(self, a, b) -> str:
        if isinstance(a, Jsonb) and isinstance(b, Jsonb):
            if a.obj == b.obj:
                return _literal(b)
            return f"({self._json(a.obj, b.obj)})::jsonb"
        if a == b:
            return _literal(b)
        if isinstance(b, datetime):
            return self._time(a, b)
        for name in ("user_id", "token_id", "key_hash"):
            text = [getattr(c, name) for c in self.customers]
            if isinstance(b, uuid.UUID) and [str(a), str(b)] == text:
                return f"({self._customer(name)})::uuid"
            if [a, b] == text:
                return f"({self._customer(name)})"
            if isinstance(b, str) and [a, b] == [t.replace("-", "") for t in text]:
                return f"replace({self._customer(name)}, '-', '')"
        if isinstance(b, uuid.UUID):
            return f"{self._uuid(b)}::uuid"
        if isinstance(b, str) and UUID_TEXT.match(b):
            made = self._uuid(b)
            return f"{made}::uuid::text" if "-" in b else made
        if isinstance(b, str) and isinstance(a, str):
            return self._unique(b)
        raise ValueError(f"no rule to make the parameter {b!r} fresh (the first recording: {a!r})")

    def _customer(self, column: str) -> str:
        return f"(SELECT {column} FROM bench_customer WHERE n = :bench_c)"

    def _number(self, value) -> int:
        return self.made.setdefault(value, len(self.made) + 1)

    def _uuid(self, value) -> str:
        return f"md5((:bench_r)::text || '-{self._number(value)}')"

    def _unique(self, value: str) -> str:
        """Digits of the same length, unique per transaction (an order number)."""
        length = len(value)
        return f"right(lpad((:bench_r)::text || '{self._number(value):02d}', {length}, '0'), {length})"

    def _time(self, a: datetime, b: datetime) -> str:
        offsets = (a - self.started[0], b - self.started[1])
        if abs(offsets[0] - offsets[1]).total_seconds() > 5:
            raise ValueError(f"a time that is not now plus a fixed offset: {a!r}, {b!r}")
        return f"(now() + interval '{round(offsets[1].total_seconds() * 1e6)} microseconds')"

    def _json(self, a, b) -> str:
        """The JSON text of `b`, its leaves that differ from `a`'s made fresh, as a SQL text
        expression."""
        parts: list[str] = []

        def walk(x, y):
            if isinstance(y, dict) and isinstance(x, dict) and x.keys() == y.keys():
                return {key: walk(x[key], y[key]) for key in y}
            if isinstance(y, list) and isinstance(x, list) and len(x) == len(y):
                return [walk(p, q) for p, q in zip(x, y, strict=True)]
            if x == y:
                return y
            if isinstance(x, str) and isinstance(y, str) and ISO_TIME.match(x) and ISO_TIME.match(y):
                made = f"to_json({self._time(parse_datetime(x), parse_datetime(y))}) #>> '{{}}'"
            else:
                made = f"({self.expression(x, y)})::text"
            parts.append(made)
            return f"@@bench:{len(parts) - 1}@@"

        pieces = MARK.split(json.dumps(walk(a, b), ensure_ascii=False))
        texts = [
            _literal(piece) if index % 2 == 0 else parts[int(piece)] for index, piece in enumerate(pieces)
        ]
        return " || ".join(text for text in texts if text != "''")


def _literal(value) -> str:
    return pgsql.Literal(value).as_string()
