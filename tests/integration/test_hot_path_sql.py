"""The hand-written statements of the hot path (contexts.shared.adapters.sql) on a real
database: what they write and read is what the ORM writes and reads."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import DecimalField
from django.utils import timezone

from contexts.identity import bootstrap as identity
from contexts.identity.adapters.orm import DjangoTokenRepository
from contexts.identity.domain.model import hash_token
from contexts.identity.models import ApiToken, User
from contexts.ordering.domain import model as order_model
from contexts.ordering.models import Cart, Order, OrderLine
from contexts.shared.adapters import sql
from contexts.solitaire.adapters.orm import DjangoSolitaireRepository
from contexts.solitaire.models import Solitaire, SolitaireItem
from tests.integration.test_ordering_helpers import solitaire_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_taken_order_number_is_drawn_again_inside_the_same_transaction(monkeypatch):
    # given an order numbered N, and a draw that gives N again before M
    numbers = iter(["20261126100000000001", "20261126100000000001", "20261126100000000002"])
    monkeypatch.setattr(order_model, "new_order_no", lambda now: next(numbers))
    first = solitaire_order("s-1")
    # when a second order is placed in a transaction that goes on afterwards
    with transaction.atomic():
        second = solitaire_order("s-1")
        still_usable = Order.objects.filter(pk=first.id).exists()  # PostgreSQL: not aborted
    # then the second order took the next number, with its one line, and nothing failed
    assert (first.order_no, second.order_no, still_usable) == (
        "20261126100000000001",
        "20261126100000000002",
        True,
    )
    assert sorted(Order.objects.values_list("order_no", flat=True)) == [first.order_no, second.order_no]
    assert OrderLine.objects.filter(order_id=second.id).count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_connection_prepares_the_order_insert_once_it_has_run_it_a_few_times():
    # given the settings' threshold: a statement a connection has run that often is prepared
    threshold = connection.settings_dict["OPTIONS"].get("prepare_threshold") or 5
    # when one connection places one order more than that
    for _ in range(threshold + 1):
        solitaire_order("s-prepared")
    # then PostgreSQL holds the order's INSERT among the connection's prepared statements, once
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sum(statement.startswith('INSERT INTO "ordering_order" ') for statement in prepared) == 1


def test_an_order_row_holds_what_the_orm_would_have_written():
    # when
    view = solitaire_order("s-2", quantity=3)
    # then the row reads back through the ORM with every default in place
    row = Order.objects.get(pk=view.id)
    assert (row.status, row.total_fen, row.sequence_no, row.pickup_code) == (
        "pending_payment",
        3600,
        None,
        None,
    )
    assert (row.cancel_reason, row.refund_reason, row.paid_at, row.pickup_address) == ("", "", None, None)
    assert (row.created_at, row.expires_at) == (view.created_at, view.expires_at)
    line = OrderLine.objects.get(order_id=view.id)
    assert (line.position, line.quantity, line.price_fen, line.subtotal_fen) == (0, 3, 1200, 3600)


def test_a_stamped_column_takes_the_time_of_the_insert_as_save_does():
    # given a row that names an old creation time and no update time
    before = timezone.now()
    row = {"id": "c-1", "customer_id": "u-1", "store_id": "s-1", "created_at": before - timedelta(days=3)}
    # when
    inserted = sql.insert(Cart, [row])
    # then both auto_now(_add) columns hold the time of the insert
    cart = Cart.objects.get(pk="c-1")
    assert inserted == 1
    assert before <= cart.created_at <= cart.updated_at <= timezone.now()


def test_a_solitaire_without_items_is_read_in_one_query(django_assert_num_queries):
    # given a draft solitaire with no items yet
    now = timezone.now().replace(microsecond=0)
    Solitaire.objects.create(
        id="s-empty",
        store_id="store-1",
        title="空接龙",
        start_at=now,
        end_at=now + timedelta(days=1),
        pickup_point_ids=["p-1", "p-2"],
        created_at=now,
    )
    # when
    with django_assert_num_queries(1):
        found = DjangoSolitaireRepository().get("s-empty")
    # then its times come back aware and its JSON as a list
    assert (found.items, found.pickup_point_ids, found.start_at, found.end_at) == (
        [],
        ["p-1", "p-2"],
        now,
        now + timedelta(days=1),
    )
    assert DjangoSolitaireRepository().get("s-missing") is None


def test_recording_a_tokens_use_never_undoes_a_revocation_that_landed_meanwhile():
    # given a request has read an active token
    login = identity.login_with_wechat(code="sandbox-hot-path", nickname="Hot")
    token, user = DjangoTokenRepository().by_hash_with_user(hash_token(login.token))
    assert (token.revoked_at, user.id) == (None, login.user.id)
    # when the user logs out, and only then the request records its use
    assert identity.revoke_token(raw_token=login.token) is True
    token.last_used_at = timezone.now()
    DjangoTokenRepository().record_use(token)
    # then the token stays revoked and its use is not recorded
    row = ApiToken.objects.get(pk=token.id)
    assert row.revoked_at is not None
    assert row.last_used_at is None
    assert identity.authenticate(raw_token=login.token) is None


def kinds(row: tuple) -> list:
    """Each value's type, and a time's offset: what "the same value" also means."""
    return [(type(value), getattr(value, "utcoffset", lambda: None)()) for value in row]


def test_a_token_and_its_user_read_back_as_the_orm_reads_them():
    # given a user logged in whose token was used (UUIDs, times, a NULL time, booleans)
    login = identity.login_with_wechat(code="sandbox-read-back", nickname="Reader")
    ApiToken.objects.filter(user_id=login.user.id).update(last_used_at=timezone.now())
    names = ("id", "user_id", "created_at", "revoked_at", "last_used_at")
    user_names = ("id", "nickname", "phone", "is_staff", "is_active")
    columns = sql.Columns(
        *(sql.column(ApiToken, name) for name in names), *(sql.column(User, name) for name in user_names)
    )
    # when
    rows = sql.fetch(
        "SELECT t.id, t.user_id, t.created_at, t.revoked_at, t.last_used_at,"
        " u.id, u.nickname, u.phone, u.is_staff, u.is_active"
        " FROM identity_apitoken t INNER JOIN identity_user u ON u.id = t.user_id WHERE u.id = %s",
        [sql.value(User, "id", login.user.id)],
        columns,
    )
    # then the row is the ORM's, value for value and type for type
    orm = list(
        ApiToken.objects.filter(user_id=login.user.id).values_list(
            *names, *(f"user__{name}" for name in user_names)
        )
    )
    assert (rows, kinds(rows[0])) == (orm, kinds(orm[0]))
    assert (str(rows[0][1]), str(rows[0][5])) == (login.user.id, login.user.id)
    assert (rows[0][3], rows[0][6:]) == (None, ("Reader", None, False, True))


def test_a_solitaire_and_its_items_read_back_as_the_orm_reads_them():
    # given a solitaire (a JSON list, times) with two items, one without a limit
    now = timezone.now()
    Solitaire.objects.create(
        id="s-read",
        store_id="store-1",
        title="读回",
        start_at=now,
        end_at=now + timedelta(days=1),
        pickup_point_ids=["p-2", "p-1"],
        created_at=now,
    )
    for position, limit in enumerate((None, 2)):
        SolitaireItem.objects.create(
            id=f"i-{position}",
            solitaire_id="s-read",
            goods_id=f"g-{position}",
            name="鸡蛋",
            base_price_fen=1500,
            price_fen=1200,
            stock=30,
            per_customer_limit=limit,
            position=position,
        )
    names = ("solitaire_id", "solitaire__start_at", "solitaire__pickup_point_ids", "id", "stock")
    names += ("per_customer_limit", "sold")
    columns = sql.Columns(
        *(sql.column(Solitaire, name) for name in ("id", "start_at", "pickup_point_ids")),
        *(sql.column(SolitaireItem, name) for name in ("id", "stock", "per_customer_limit", "sold")),
    )
    # when
    rows = sql.fetch(
        "SELECT s.id, s.start_at, s.pickup_point_ids, i.id, i.stock, i.per_customer_limit, i.sold"
        " FROM solitaire_solitaire s INNER JOIN solitaire_solitaireitem i ON i.solitaire_id = s.id"
        " WHERE s.id = %s ORDER BY i.position",
        ["s-read"],
        columns,
    )
    # then
    orm = list(SolitaireItem.objects.filter(solitaire_id="s-read").order_by("position").values_list(*names))
    assert (rows, [kinds(row) for row in rows]) == (orm, [kinds(row) for row in orm])
    assert [row[2:] for row in rows] == [
        (["p-2", "p-1"], "i-0", 30, None, 0),
        (["p-2", "p-1"], "i-1", 30, 2, 0),
    ]


def test_an_inserted_json_object_reads_back_as_the_orm_reads_it():
    # given an order row inserted by hand with a delivery address (a JSON object)
    address = {"province": "浙江省", "city": "杭州市", "detail": "文三路 1 号"}
    now = timezone.now()
    row = {
        "id": "o-json",
        "order_no": "20261126100000000009",
        "customer_id": "u-1",
        "store_id": "store-1",
        "total_fen": 1200,
        "pickup_method": "delivery",
        "pickup_address": address,
        "contact_name": "张三",
        "contact_phone": "13800000000",
        "created_at": now,
        "expires_at": now + timedelta(minutes=30),
    }
    assert sql.insert(Order, [row]) == 1
    # when
    rows = sql.fetch(
        "SELECT pickup_address, created_at, paid_at FROM ordering_order WHERE id = %s",
        ["o-json"],
        sql.Columns(*(sql.column(Order, name) for name in ("pickup_address", "created_at", "paid_at"))),
    )
    # then
    orm = list(Order.objects.filter(pk="o-json").values_list("pickup_address", "created_at", "paid_at"))
    assert (rows, kinds(rows[0])) == (orm, kinds(orm[0]))
    assert rows == [(address, now, None)]


def test_a_column_type_without_a_conversion_is_refused_when_the_statement_is_declared():
    # when / then: no silent pass-through of a type the table does not know
    with pytest.raises(TypeError, match="DecimalField"):
        sql.Columns(DecimalField(max_digits=8, decimal_places=2))


def test_a_value_not_of_its_columns_python_type_is_prepared_by_its_field_as_save_would():
    # given a row whose text column holds a number and whose integer column holds a numeral,
    # which Model.save() would turn into "7" and 3
    from contexts.goods.models import Category

    row = {"id": "category-prepared", "store_id": "store-1", "name": 7, "sort": "3"}
    # when it is inserted by hand
    inserted = sql.insert(Category, [row])
    # then it reads back as save() would have written it: the values were prepared, not passed on
    assert inserted == 1
    assert Category.objects.values_list("name", "sort").get(pk="category-prepared") == ("7", 3)
