"""What a request asks of the database, told by the statements CaptureQueriesContext recorded:
`touching(captured, "ordering_")` lists (verb, table) of each statement on a context's tables, so
a test shows which round trips a use case makes on the tables it owns, whatever the event
machinery adds after it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The first table a statement names: after FROM, INTO or UPDATE, quoted or not.
TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def touching(captured: CaptureQueriesContext, prefix: str) -> list[tuple[str, str]]:
    """(verb, table) of each captured statement whose first table starts with `prefix`; a
    SELECT that locks its rows is "SELECT FOR UPDATE" (PostgreSQL; SQLite has no row locks)."""
    found = []
    for query in captured.captured_queries:
        sql = query["sql"]
        table = TABLE.search(sql)
        if table is None or not table.group(1).startswith(prefix):
            continue
        verb = sql.split(None, 1)[0].upper()
        if verb == "SELECT" and " FOR UPDATE" in sql.upper():
            verb = "SELECT FOR UPDATE"
        found.append((verb, table.group(1)))
    return found


def capture() -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)


def unlocked(statements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The same statements with every lock taken away: what SQLite runs of them."""
    return [("SELECT" if verb == "SELECT FOR UPDATE" else verb, table) for verb, table in statements]


def expected(statements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`statements` as this database runs them (SQLite takes no row locks)."""
    return statements if connection.features.has_select_for_update else unlocked(statements)
