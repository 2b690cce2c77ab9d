"""Hand-written SQL for the few statements on the hot path (authenticating a token, joining a
solitaire), where compiling an ORM query costs more than its round trip to the database.

Values go in and come back through the models' own fields and the backend's converters —
what the ORM itself does — so SQLite and PostgreSQL store and return exactly what the ORM
would. Keep the SQL portable: both backends run it."""

import threading
from collections.abc import Callable, Mapping, Sequence
from functools import cache, partial
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model
from django.db.models.expressions import Col

# Field types whose Python values (str, int, bool, None) both drivers take as they are: their
# ORM preparation only re-checks the type, so an INSERT passes them straight through.
AS_IS = {"CharField", "TextField", "BooleanField", "SmallIntegerField", "IntegerField", "BigIntegerField"}
AS_IS |= {f"Positive{name}" for name in ("SmallIntegerField", "IntegerField", "BigIntegerField")}


def column(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)


class Columns:
    """The fields a hand-written SELECT returns, in order. Their converters are worked out once
    per backend (a module constant per statement), not hashed and looked up per row read."""

    def __init__(self, *fields: Field):
        self.fields = fields
        self._converters: dict[str, tuple] = {}

    def converters(self, db) -> tuple[tuple[int, Col, tuple], ...]:
        found = self._converters.get(db.vendor)
        if found is None:
            found = self._converters[db.vendor] = _converters(db, self.fields)
        return found


def fetch(sql: str, params: Sequence[Any], columns: Columns | None = None) -> list[tuple]:
    """The rows of a SELECT whose columns are `columns`, each value converted as the ORM would;
    without `columns` the rows come back as the driver reads them (e.g. a SELECT 1)."""
    db = connections[DEFAULT_DB_ALIAS]
    cursor = _cursor(db)
    cursor.execute(sql, params)
    rows = cursor.fetchall()
    converters = columns.converters(db) if columns else ()
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for index, col, functions in converters:
            value = row[index]
            for function in functions:
                value = function(value, col, db)
            row[index] = value
    return [tuple(row) for row in rows]


def execute(sql: str, params: Sequence[Any]) -> int:
    """Run one statement; the number of rows it changed."""
    return _execute(connections[DEFAULT_DB_ALIAS], sql, params)


def _execute(db, sql: str, params: Sequence[Any]) -> int:
    cursor = _cursor(db)
    cursor.execute(sql, params)
    return cursor.rowcount


_held = threading.local()  # Django's connections are per thread; so is the cursor kept here


def _cursor(db) -> Any:
    """The thread's cursor for these statements, reused while it stays right: making a Django
    cursor (connection checks, a driver cursor with its own adapters) cost 0.12 ms of CPU per
    join for the 6 statements after the first, measured. A new one is made for a new
    connection, for each request's first statement while its health check is due (Django runs
    it there), and when statements start or stop being logged (tests count them)."""
    held = getattr(_held, "cursor", None)
    logged = db.queries_logged
    if (
        held is not None
        and held[0] is db
        and held[1] is db.connection
        and held[2] == logged
        and (db.health_check_done or not db.health_check_enabled)
    ):
        return held[3]
    cursor = db.cursor()
    _held.cursor = (db, db.connection, logged, cursor)
    return cursor


def insert(model: type[Model], rows: Sequence[Mapping[str, Any]], *, on_conflict_do_nothing: str = "") -> int:
    """INSERT rows of one model in one statement. A row maps attnames (`order_id`) to values;
    a column it leaves out takes its field's default, and every value is prepared by its field
    as Model.save() would (auto-increment ids are left to the database and not read back).
    `on_conflict_do_nothing` names a unique field whose collision skips the row instead of
    failing, so no savepoint is needed; the number of rows inserted."""
    db = connections[DEFAULT_DB_ALIAS]
    params = []
    for row in rows:
        for attname, field, default, stamped, none_as_is in _insert_columns(model, db.vendor):
            raw = default() if stamped or attname not in row else row[attname]
            as_is = field is None or (raw is None and none_as_is)
            params.append(raw if as_is else field.get_db_prep_save(raw, db))
    return _execute(db, _insert_sql(model, len(rows), on_conflict_do_nothing, db.vendor), params)


def value(model: type[Model], name: str, raw: Any) -> Any:
    """A parameter for a WHERE or SET, prepared as the ORM prepares `name`'s values."""
    return column(model, name).get_db_prep_value(raw, connections[DEFAULT_DB_ALIAS], prepared=False)


@cache
def _insert_columns(
    model: type[Model], vendor: str
) -> tuple[tuple[str, Field | None, Callable, bool, bool], ...]:
    """(attname, field, default, stamped, none_as_is) per inserted column. field is None when
    every value goes in as it is; none_as_is when the field prepares None as None (most do: an
    unset time costs no preparation). A stamped (auto_now, auto_now_add) column takes the time
    of the insert whatever the row says, as save() does. The vendor keys the cache: how a field
    prepares its values depends on the backend."""
    db = connections[DEFAULT_DB_ALIAS]
    columns = []
    for field in model._meta.concrete_fields:
        if field is model._meta.auto_field:
            continue
        kind = (field.target_field if field.is_relation else field).get_internal_type()
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = partial(field.pre_save, SimpleNamespace(), True) if stamped else field.get_default
        none_as_is = field.get_db_prep_save(None, db) is None
        columns.append((field.attname, None if kind in AS_IS else field, default, stamped, none_as_is))
    return tuple(columns)


@cache
def _insert_sql(model: type[Model], count: int, conflict: str, vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    names = [column[0] for column in _insert_columns(model, vendor)]
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    values = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * count)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"
    if conflict:
        sql += f" ON CONFLICT ({quote(column(model, conflict).column)}) DO NOTHING"
    return sql


def _converters(db, fields: tuple[Field, ...]) -> tuple[tuple[int, Col, tuple], ...]:
    """(index, column, converters) of the columns that need converting: the backend's converters
    then the field's, the ORM's order."""
    found = []
    for index, field in enumerate(fields):
        col = field.get_col(field.model._meta.db_table)
        functions = tuple(db.ops.get_db_converters(col) + field.get_db_converters(db))
        if functions:
            found.append((index, col, functions))
    return tuple(found)
