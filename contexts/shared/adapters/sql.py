"""Hand-written SQL for the few statements on the hot path (authenticating a token, joining a
solitaire), where compiling an ORM query costs more than its round trip to the database.

Values go in and come back through the models' own fields and the backend's converters —
what the ORM itself does — so SQLite and PostgreSQL store and return exactly what the ORM
would. Keep the SQL portable: both backends run it."""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col


def column(model: type[Model], name: str) -> Field:
    return model._meta.get_field(name)


def fetch(sql: str, params: Sequence[Any], fields: Sequence[Field]) -> list[tuple]:
    """The rows of a SELECT whose columns are `fields`, each value converted as the ORM would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(connection.vendor, tuple(fields))
    if not any(functions for _column, functions in converters):
        return rows
    return [
        tuple(_convert(value, *pair) for value, pair in zip(row, converters, strict=True)) for row in rows
    ]


def execute(sql: str, params: Sequence[Any]) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert(objects: Sequence[Model], *, on_conflict_do_nothing: str = "") -> int:
    """INSERT model instances of one model in one statement, every column prepared by its field
    as Model.save() would (auto-increment ids are left to the database and not read back).
    `on_conflict_do_nothing` names a unique field whose collision skips the row instead of
    failing, so no savepoint is needed; the number of rows inserted."""
    model = type(objects[0])
    fields = _insert_fields(model)
    params = [
        field.get_db_prep_save(field.pre_save(obj, True), connection) for obj in objects for field in fields
    ]
    return execute(_insert_sql(model, len(objects), on_conflict_do_nothing), params)


def value(model: type[Model], name: str, raw: Any) -> Any:
    """A parameter for a WHERE or SET, prepared as the ORM prepares `name`'s values."""
    return column(model, name).get_db_prep_value(raw, connection, prepared=False)


@cache
def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if field is not model._meta.auto_field)


@cache
def _insert_sql(model: type[Model], count: int, conflict: str) -> str:
    fields = _insert_fields(model)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * count)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES {values}"
    if conflict:
        sql += f" ON CONFLICT ({connection.ops.quote_name(column(model, conflict).column)}) DO NOTHING"
    return sql


@cache
def _converters(vendor: str, fields: tuple[Field, ...]) -> tuple[tuple[Col, tuple], ...]:
    """Per column, the backend's converters then the field's (the ORM's order); the vendor keys
    the cache because the converters depend on the backend."""
    pairs = []
    for field in fields:
        col = field.get_col(field.model._meta.db_table)
        pairs.append(
            (col, tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection)))
        )
    return tuple(pairs)


def _convert(raw: Any, col: Col, converters: Iterable) -> Any:
    for converter in converters:
        raw = converter(raw, col, connection)
    return raw
