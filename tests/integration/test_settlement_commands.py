"""The operators' commands: `settle_orders` and `settle_commissions` end with their one-line
summary (a dry run too, writing nothing), take --as-of in ISO 8601, and the scheduled tasks run
the same use cases."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from contexts.merchant_account import tasks
from tests.support.money import T0, balances, complete_order, money_rows, open_merchant, resale_through

pytestmark = pytest.mark.django_db

SUMMARY = (
    "orders 2, gross ¥105.55 / 10555 fen, fee ¥0.63 / 63 fen, commission ¥10.00 / 1000 fen, "
    "net ¥94.92 / 9492 fen"
)


@pytest.fixture
def shops():
    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="daily")
    complete_order(store_id=brand.store_id, total_fen=10000, completed_at=T0, resale=resale)
    complete_order(store_id=brand.store_id, total_fen=555, completed_at=T0 + timedelta(minutes=5))
    return brand, affiliate


def run(capsys, *args) -> str:
    call_command(*args)
    return capsys.readouterr().out.strip()


def test_settle_orders_ends_with_its_summary(shops, capsys):
    # when
    out = run(capsys, "settle_orders", "--as-of", (T0 + timedelta(hours=1)).isoformat())
    again = run(capsys, "settle_orders", "--as-of", (T0 + timedelta(hours=1)).isoformat())
    # then
    assert out == SUMMARY
    assert (
        again
        == "orders 0, gross ¥0.00 / 0 fen, fee ¥0.00 / 0 fen, commission ¥0.00 / 0 fen, net ¥0.00 / 0 fen"
    )
    assert balances(shops[0])["available_fen"] == 9492


def test_a_dry_run_prints_the_same_summary_and_writes_nothing(shops, capsys):
    # given
    before = money_rows()
    # when
    out = run(capsys, "settle_orders", "--dry-run", "--as-of", (T0 + timedelta(hours=1)).isoformat())
    # then
    assert out == f"{SUMMARY} (dry run: nothing written)"
    assert money_rows() == before


def test_settle_commissions_ends_with_its_summary(shops, capsys):
    # given
    run(capsys, "settle_orders", "--as-of", (T0 + timedelta(hours=1)).isoformat())
    # when the day's cycle has closed (local time without an offset is Shanghai's)
    dry = run(capsys, "settle_commissions", "--dry-run", "--as-of", "2025-03-05T00:00:00")
    out = run(capsys, "settle_commissions", "--as-of", "2025-03-05T00:00:00")
    # then
    paid = (
        "orders 1, gross ¥10.00 / 1000 fen, fee ¥0.00 / 0 fen, commission ¥10.00 / 1000 fen, "
        "net ¥10.00 / 1000 fen"
    )
    assert (dry, out) == (f"{paid} (dry run: nothing written)", paid)
    assert balances(shops[1])["available_fen"] == 1000


def test_as_of_must_be_an_iso_time(shops):
    before = money_rows()
    with pytest.raises(CommandError, match="--as-of"):
        call_command("settle_orders", "--as-of", "yesterday")
    assert money_rows() == before


def test_the_scheduled_tasks_settle_as_of_now(shops):
    # when (T0 is in the past: its orders and its day's cycle are due)
    orders = tasks.settle_orders()
    commissions = tasks.settle_commissions()
    # then
    assert (orders["orders"], orders["net_fen"], orders["dry_run"]) == (2, 9492, False)
    assert (commissions["orders"], commissions["net_fen"]) == (1, 1000)
    assert balances(shops[1])["commission_total_fen"] == 1000
