"""The hand-written statements of the hot path (contexts.shared.adapters.sql) on a real
database: what they write and read is what the ORM writes and reads."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from contexts.identity import bootstrap as identity
from contexts.identity.adapters.orm import DjangoTokenRepository
from contexts.identity.domain.model import hash_token
from contexts.identity.models import ApiToken
from contexts.ordering.domain import model as order_model
from contexts.ordering.models import Cart, Order, OrderLine
from contexts.shared.adapters import sql
from contexts.solitaire.adapters.orm import DjangoSolitaireRepository
from contexts.solitaire.models import Solitaire
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
