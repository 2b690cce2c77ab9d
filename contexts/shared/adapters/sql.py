"""Hand-written SQL for the few statements on the hot path (authenticating a token, joining a
solitaire), where compiling an ORM query costs more than its round trip to the database.

Values go in and come back through the models' own fields and the backend's converters —
what the ORM itself does — so SQLite and PostgreSQL store and return exactly what the ORM
would. Keep the SQL portable: both backends run it."""

from collections.abc import Sequence
from functools import cache
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


def fetch(sql: str, params: Sequence[Any], fields: Sequence[Field]) -> list[tuple]:
    """The rows of a SELECT whose columns are `fields`, each value converted as the ORM would."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(db.vendor, tuple(fields))
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
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def insert(objects: Sequence[Model], *, on_conflict_do_nothing: str = "") -> int:
    """INSERT model instances of one model in one statement, every column prepared by its field
    as Model.save() would (auto-increment ids are left to the database and not read back).
    `on_conflict_do_nothing` names a unique field whose collision skips the row instead of
    failing, so no savepoint is needed; the number of rows inserted."""
    db = connections[DEFAULT_DB_ALIAS]
    model = type(objects[0])
    params = []
    for obj in objects:
        for field, attname in _insert_fields(model):
            if field is None:
                params.append(getattr(obj, attname))
            else:
                params.append(field.get_db_prep_save(field.pre_save(obj, True), db))
    return execute(_insert_sql(model, len(objects), on_conflict_do_nothing), params)


def value(model: type[Model], name: str, raw: Any) -> Any:
    """A parameter for a WHERE or SET, prepared as the ORM prepares `name`'s values."""
    return column(model, name).get_db_prep_value(raw, connections[DEFAULT_DB_ALIAS], prepared=False)


@cache
def _insert_fields(model: type[Model]) -> tuple[tuple[Field | None, str], ...]:
    """(field, attname) per inserted column; field None when its value goes in as it is."""
    columns = []
    for field in model._meta.concrete_fields:
        if field is model._meta.auto_field:
            continue
        kind = (field.target_field if field.is_relation else field).get_internal_type()
        columns.append((None if kind in AS_IS else field, field.attname))
    return tuple(columns)


@cache
def _insert_sql(model: type[Model], count: int, conflict: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(
        quote(model._meta.get_field(attname).column) for _field, attname in _insert_fields(model)
    )
    values = ", ".join(["(" + ", ".join(["%s"] * len(_insert_fields(model))) + ")"] * count)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values}"
    if conflict:
        sql += f" ON CONFLICT ({quote(column(model, conflict).column)}) DO NOTHING"
    return sql


@cache
def _converters(vendor: str, fields: tuple[Field, ...]) -> tuple[tuple[int, Col, tuple], ...]:
    """(index, column, converters) of the columns that need converting: the backend's converters
    then the field's, the ORM's order. The vendor keys the cache: converters depend on it."""
    db = connections[DEFAULT_DB_ALIAS]
    found = []
    for index, field in enumerate(fields):
        col = field.get_col(field.model._meta.db_table)
        functions = tuple(db.ops.get_db_converters(col) + field.get_db_converters(db))
        if functions:
            found.append((index, col, functions))
    return tuple(found)
