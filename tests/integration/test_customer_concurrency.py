"""Real threads counting orders of one customer at once, each in its own connection and
transaction (as django-q2 workers do): no count is lost and no order counts twice."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contexts.customer import bootstrap
from contexts.customer.models import CustomerOrder, StoreCustomer
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
STORE, BUYER = str(uuid.uuid4()), str(uuid.uuid4())


def payment(order_id: str, total_fen: int, minutes: int):
    def call():
        return bootstrap.count_paid_order(
            order_id=order_id,
            store_id=STORE,
            user_id=BUYER,
            total_fen=total_fen,
            paid_at=T0 + timedelta(minutes=minutes),
            contact_phone=f"139000000{minutes:02d}",
        )

    return call


def test_ten_orders_paid_at_once_for_one_customer_all_count():
    # given ten different orders of one buyer in one store, the customer not yet known
    totals = [100 * (i + 1) + i for i in range(10)]
    calls = [payment(str(uuid.uuid4()), total, minutes=i) for i, total in enumerate(totals)]
    # when they are counted at once
    outcomes = run_at_once(calls)
    # then
    assert outcomes == [True] * 10
    row = StoreCustomer.objects.get()
    assert (row.store_id, row.user_id, row.order_count, row.total_spent_fen) == (
        STORE,
        BUYER,
        10,
        sum(totals),
    )
    assert (row.first_order_at, row.last_order_at) == (T0, T0 + timedelta(minutes=9))
    assert row.phone == "13900000009"
    assert CustomerOrder.objects.filter(state="counted").count() == 10


def test_one_order_counted_from_eight_threads_at_once_counts_once():
    # when
    order_id = str(uuid.uuid4())
    outcomes = run_at_once([payment(order_id, 1280, minutes=0) for _ in range(8)])
    # then
    assert sorted(outcomes, key=str) == [False] * 7 + [True]
    row = StoreCustomer.objects.get()
    assert (row.order_count, row.total_spent_fen) == (1, 1280)
    assert CustomerOrder.objects.count() == 1
