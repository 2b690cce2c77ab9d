"""Hand-written SQL for the few statements on the hot path (authenticating a token, joining a
solitaire), through Django's public API only: each statement opens its own
`connection.cursor()`, values go in prepared by their model fields (`get_db_prep_value`,
`get_db_prep_save`, as save() prepares them; a text, integer or boolean already of its column's
Python type goes in as it is: that preparation would leave it so), and the columns read back are
converted by a
small explicit table keyed by each field's `get_internal_type()`, so a row reads as the ORM
reads it. Keep the SQL portable: SQLite and PostgreSQL both run it."""

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Integer and text types: both drivers return them as the ORM does.
AS_IS = {"CharField", "TextField", "SmallIntegerField", "IntegerField", "BigIntegerField"}
AS_IS |= {f"Positive{name}" for name in ("SmallIntegerField", "IntegerField", "BigIntegerField")}
AS_IS |= {"AutoField", "BigAutoField", "SmallAutoField"}
AUTO = {"AutoField", "BigAutoField", "SmallAutoField"}  # the database numbers them


def column(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)


def _datetime(value: Any) -> datetime:
    """PostgreSQL gives an aware datetime; SQLite the UTC time as text (or naive, parsed by
    Django's registered converter)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(value)  # SQLite: 32 hex digits


def _reader(field: Field) -> Callable[[Any], Any] | None:
    """How a column of `field` read from either driver becomes the ORM's value; None: as read."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind in AS_IS:
        return None
    if kind == "DateTimeField":
        return _datetime
    if kind == "UUIDField":
        return _uuid
    if kind == "BooleanField":
        return bool  # SQLite: 0/1
    if kind == "JSONField":
        # Django has both drivers hand jsonb/JSON text over as text, then parses it.
        return lambda value: json.loads(value, cls=field.decoder)
    raise TypeError(f"sql.Columns has no conversion for {kind} ({field}): add one here")


class Columns:
    """The fields a hand-written SELECT returns, in order, and how each is read back."""

    def __init__(self, *fields: Field):
        self.fields = fields
        self.readers = tuple(_reader(field) for field in fields)

    def convert(self, row: Sequence[Any]) -> tuple:
        return tuple(
            value if read is None or value is None else read(value)
            for read, value in zip(self.readers, row, strict=True)
        )


def fetch(sql: str, params: Sequence[Any], columns: Columns | None = None) -> list[tuple]:
    """The rows of a SELECT whose columns are `columns`, each value converted as the ORM would;
    without `columns` the rows come back as the driver reads them (e.g. a SELECT 1)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if columns is None:
        return rows
    return [columns.convert(row) for row in rows]


def execute(sql: str, params: Sequence[Any]) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def execute_many(sql: str, params: Sequence[Sequence[Any]]) -> int:
    """Run one statement once per parameter list (psycopg sends them together, in one round
    trip); the number of rows they changed in all."""
    if not params:
        return 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


def value(model: type[Model], name: str, raw: Any) -> Any:
    """A parameter for a WHERE or SET, prepared as the ORM prepares `name`'s values."""
    return column(model, name).get_db_prep_value(raw, connection, prepared=False)


def insert(model: type[Model], rows: Sequence[Mapping[str, Any]], *, on_conflict_do_nothing: str = "") -> int:
    """INSERT rows of one model in one statement. A row maps attnames (`order_id`) to values; a
    column it leaves out takes its field's default, and every value is prepared by its field as
    Model.save() prepares it (`pre_save`: auto_now and auto_now_add columns take the time of the
    insert; auto-increment ids are left to the database and not read back) — except a text,
    integer or boolean value already of its column's Python type (`PLAIN`), which that
    preparation leaves as it is: most of an order's columns, whose preparation cost more than
    the statement. `on_conflict_do_nothing` names a unique field whose collision skips the row
    instead of failing, so no savepoint is needed; the number of rows inserted."""
    if not rows:
        return 0
    params = []
    for row in rows:
        for field, plain, stamped in _insert_plan(model):
            value = row[field.attname] if field.attname in row else field.get_default()
            if stamped:
                value = field.pre_save(SimpleNamespace(**{field.attname: value}), True)
            if value is None or type(value) is plain:
                params.append(value)
            else:
                params.append(field.get_db_prep_save(value, connection))
    return execute(_insert_sql(model, len(rows), on_conflict_do_nothing), params)


# Column types whose values Django prepares to themselves on every backend: get_prep_value is
# the identity for a value already of the type, and no backend adapts it further.
PLAIN = {"CharField": str, "TextField": str, "BooleanField": bool}
PLAIN |= dict.fromkeys(AS_IS - AUTO - {"CharField", "TextField"}, int)


@cache
def _insert_plan(model: type[Model]) -> tuple[tuple[Field, type | None, bool], ...]:
    """Per inserted field: the Python type that goes in as it is (None: none does), and whether
    `pre_save` stamps the field (auto_now, auto_now_add)."""
    return tuple(
        (
            field,
            PLAIN.get(field.get_internal_type()),
            bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)),
        )
        for field in _inserted_fields(model)
    )


@cache
def _inserted_fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if field.get_internal_type() not in AUTO)


@cache
def _insert_sql(model: type[Model], count: int, on_conflict_do_nothing: str) -> str:
    fields = _inserted_fields(model)
    names = ", ".join(_quoted(field.column) for field in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * count)
    sql = f"INSERT INTO {_quoted(model._meta.db_table)} ({names}) VALUES {values}"
    if on_conflict_do_nothing:
        sql += f" ON CONFLICT ({_quoted(column(model, on_conflict_do_nothing).column)}) DO NOTHING"
    return sql


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'  # standard SQL: SQLite and PostgreSQL
