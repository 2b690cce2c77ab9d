"""The hot path's statements share one cursor per thread (contexts.shared.adapters.sql), and
give it up whenever keeping it would be wrong: a new connection, a request's health check due,
statements being counted."""

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from contexts.ordering.models import Cart
from contexts.shared.adapters import sql
from contexts.store import queries as store_queries

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cursors_made(monkeypatch) -> list:
    """Each Django cursor made from now on (the real ones, only counted)."""
    made = []
    make = BaseDatabaseWrapper.cursor

    def counted(db):
        made.append(db)
        return make(db)

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", counted)
    return made


def test_hot_statements_share_one_cursor(cursors_made):
    # given a first statement has made the thread's cursor
    store_queries.is_active("store-1")
    cursors_made.clear()
    # when more statements run: reads, INSERTs, an UPDATE
    store_queries.is_active("store-2")
    sql.insert(Cart, [{"id": "c-1", "customer_id": "u-1", "store_id": "s-1"}])
    sql.insert(Cart, [{"id": "c-2", "customer_id": "u-1", "store_id": "s-2"}])
    changed = sql.execute("UPDATE ordering_cart SET customer_id = %s WHERE id = %s", ["u-2", "c-2"])
    made = list(cursors_made)
    # then no cursor was made for them, and they all ran
    assert made == []
    assert (changed, Cart.objects.filter(customer_id="u-2").count()) == (1, 1)


def test_statements_are_counted_when_counting_starts_after_the_cursor_was_made(django_assert_num_queries):
    # given the thread's cursor was made while nothing was counted
    store_queries.is_active("store-1")
    # when
    with django_assert_num_queries(2) as counted:
        store_queries.is_active("store-1")
        store_queries.is_active("store-2")
    # then both statements were seen
    assert [query["sql"].startswith("SELECT 1 FROM store_store") for query in counted] == [True, True]


def test_a_closed_connection_gets_a_new_cursor():
    # given the thread's cursor, then its connection closed
    store_queries.is_active("store-1")
    connection.close()
    # when / then the next statement runs on the new connection
    assert store_queries.is_active("store-1") is False
    assert connection.connection is not None


def test_each_request_s_first_statement_runs_the_connection_s_health_check(cursors_made):
    # given the thread's cursor, and a new request (Django marks the health check as due)
    store_queries.is_active("store-1")
    cursors_made.clear()
    connection.health_check_done = False
    # when
    store_queries.is_active("store-1")
    store_queries.is_active("store-2")
    # then the first statement made a cursor (and so ran the check); the second reused it
    assert (len(cursors_made), connection.health_check_done) == (1, True)
