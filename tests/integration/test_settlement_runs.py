"""settle_orders and settle_commissions on the real database: exact figures, reruns and dry runs
that change nothing, the as-of and the billing cycle respected, a crash that leaves the
committed batches settled, and a number of statements that grows with batches only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contexts.merchant_account import audit, bootstrap
from contexts.merchant_account.adapters.settlement import DjangoSettlementLedger
from contexts.merchant_account.models import OrderRevenue, Settlement
from contexts.shared.models import OutboxEvent
from tests.support.money import (
    T0,
    balances,
    complete_order,
    entries_of,
    money_rows,
    open_merchant,
    resale_through,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
NEXT_MIDNIGHT = T0.replace(hour=0) + timedelta(days=1)  # the end of T0's daily cycle


@pytest.fixture
def resale_world():
    """A brand whose daily franchise pays 10 %, its affiliate, a resale order of 100.00 and an
    order of 5.55 outside the resale, both completed on T0's day."""
    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="daily")
    resold = complete_order(store_id=brand.store_id, total_fen=10000, completed_at=T0, resale=resale)
    plain = complete_order(store_id=brand.store_id, total_fen=555, completed_at=T0 + HOUR)
    return brand, affiliate, resold, plain


def test_a_run_settles_the_brand_net_of_fee_and_commission(resale_world):
    # given
    brand, affiliate, resold, plain = resale_world
    # when
    summary = bootstrap.settle_orders(as_of=T0 + 2 * HOUR)
    # then 10000 - 60 - 1000 and 555 - 3 became available
    assert (summary.orders, summary.gross_fen, summary.fee_fen, summary.commission_fen, summary.net_fen) == (
        2,
        10555,
        63,
        1000,
        9492,
    )
    assert balances(brand) == {
        "pending_fen": 0,
        "available_fen": 9492,
        "settled_total_fen": 9492,
        "commission_total_fen": 0,
    }
    assert entries_of(brand) == sorted(
        [
            ("order_completed", "pending", 10000, resold.order_no),
            ("order_settled", "pending", -10000, resold.order_no),
            ("order_settled", "available", 10000, resold.order_no),
            ("platform_fee", "available", -60, resold.order_no),
            ("commission_withheld", "available", -1000, resold.order_no),
            ("order_completed", "pending", 555, plain.order_no),
            ("order_settled", "pending", -555, plain.order_no),
            ("order_settled", "available", 555, plain.order_no),
            ("platform_fee", "available", -3, plain.order_no),
        ]
    )
    settlement = Settlement.objects.get()
    assert (settlement.merchant_id, settlement.kind, settlement.period_start, settlement.period_end) == (
        brand.merchant_id,
        "orders",
        T0,
        T0 + 2 * HOUR,
    )
    assert (
        settlement.order_count,
        settlement.gross_fen,
        settlement.fee_fen,
        settlement.commission_fen,
        settlement.net_fen,
    ) == (2, 10555, 63, 1000, 9492)
    assert sorted(OrderRevenue.objects.values_list("total_fen", "fee_fen", "settlement_id")) == [
        (555, 3, settlement.pk),
        (10000, 60, settlement.pk),
    ]
    # and the affiliate is owed its commission, not paid yet
    assert balances(affiliate)["available_fen"] == 0
    assert audit.audit_money() == []


def test_a_commission_run_pays_the_affiliate_once_its_cycle_closed(resale_world):
    # given the brand's orders settled
    brand, affiliate, resold, _plain = resale_world
    bootstrap.settle_orders(as_of=T0 + 2 * HOUR)
    before = money_rows()
    # when the day has not ended / when it has, twice
    early = bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT - timedelta(seconds=1))
    after_early = money_rows()
    paid = bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT)
    after_paid = money_rows()
    again = bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT + HOUR)
    # then nothing before the cycle closed, 1000 once after
    assert (early.orders, paid.orders, again.orders) == (0, 1, 0)
    assert after_early == before
    assert money_rows() == after_paid
    assert balances(affiliate) == {
        "pending_fen": 0,
        "available_fen": 1000,
        "settled_total_fen": 0,
        "commission_total_fen": 1000,
    }
    assert entries_of(affiliate) == [("commission_earned", "available", 1000, resold.order_no)]
    commissions = Settlement.objects.get(kind="commissions")
    assert (commissions.merchant_id, commissions.period_start, commissions.period_end) == (
        affiliate.merchant_id,
        T0.replace(hour=0),
        NEXT_MIDNIGHT,
    )
    assert (commissions.order_count, commissions.gross_fen, commissions.fee_fen, commissions.net_fen) == (
        1,
        1000,
        0,
        1000,
    )
    assert balances(brand)["available_fen"] == 9492
    assert audit.audit_money() == []


def test_a_commission_is_not_paid_before_the_brands_order_is_settled(resale_world):
    before = money_rows()
    assert bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT + HOUR).orders == 0
    assert money_rows() == before


def test_running_settlement_again_changes_nothing(resale_world):
    # given
    bootstrap.settle_orders(as_of=T0 + 2 * HOUR)
    before = money_rows()
    # when
    again = bootstrap.settle_orders(as_of=T0 + 3 * HOUR)
    # then
    assert (again.orders, again.gross_fen, again.settlements) == (0, 0, 0)
    assert money_rows() == before


def test_a_dry_run_reports_the_same_figures_and_writes_nothing(resale_world):
    # given
    before = money_rows()
    # when
    dry = bootstrap.settle_orders(as_of=T0 + 2 * HOUR, dry_run=True, batch_size=1)
    # then
    assert money_rows() == before
    real = bootstrap.settle_orders(as_of=T0 + 2 * HOUR)
    figures = ("orders", "gross_fen", "fee_fen", "commission_fen", "net_fen")
    assert (
        [getattr(dry, f) for f in figures]
        == [getattr(real, f) for f in figures]
        == [2, 10555, 63, 1000, 9492]
    )
    # and a dry commission run, too
    before = money_rows()
    dry_commissions = bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT, dry_run=True)
    assert (dry_commissions.orders, dry_commissions.net_fen, money_rows()) == (1, 1000, before)


def test_orders_completed_at_or_after_as_of_wait_for_a_later_run(resale_world):
    # given
    brand, _affiliate, resold, plain = resale_world
    # when as of the plain order's completion
    summary = bootstrap.settle_orders(as_of=T0 + HOUR)
    # then only the resale order is settled
    assert summary.orders == 1
    assert dict(OrderRevenue.objects.values_list("order_no", "settlement_id"))[plain.order_no] is None
    assert balances(brand)["pending_fen"] == 555
    assert audit.audit_money() == []


def test_a_later_run_adds_orders_of_a_closed_cycle_to_its_commission_settlement():
    # given two resale orders of one day, the second settled only after the cycle's commissions
    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=500, billing_cycle="daily")
    complete_order(store_id=brand.store_id, total_fen=2000, completed_at=T0, resale=resale)
    complete_order(store_id=brand.store_id, total_fen=3000, completed_at=T0 + 13 * HOUR, resale=resale)
    bootstrap.settle_orders(as_of=T0 + HOUR)
    bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT)
    first = Settlement.objects.get(kind="commissions")
    announced = OutboxEvent.objects.filter(event_type="SettlementCompleted").count()
    # when
    bootstrap.settle_orders(as_of=NEXT_MIDNIGHT + HOUR)
    later = bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT + 2 * HOUR)
    # then the same settlement of the cycle holds both, announced once
    assert (later.orders, later.net_fen, later.settlements) == (1, 150, 1)
    paid = Settlement.objects.get(kind="commissions")
    assert (paid.pk, paid.order_count, paid.gross_fen, paid.net_fen) == (first.pk, 2, 250, 250)
    assert balances(affiliate)["available_fen"] == 250
    orders_runs = OutboxEvent.objects.filter(event_type="SettlementCompleted").count() - announced
    assert orders_runs == 1  # the brand's second orders settlement, not the commissions one again
    assert audit.audit_money() == []


def test_each_new_settlement_announces_itself_with_its_totals(resale_world):
    # given
    brand, *_ = resale_world
    # when
    bootstrap.settle_orders(as_of=T0 + 2 * HOUR, batch_size=1)
    # then one event for the run's one settlement, after both batches
    event = OutboxEvent.objects.get(event_type="SettlementCompleted")
    settlement = Settlement.objects.get()
    assert (settlement.period_start, settlement.period_end) == (T0, T0 + 2 * HOUR)
    assert event.payload == {
        "settlement_id": settlement.pk,
        "merchant_id": brand.merchant_id,
        "user_id": brand.user_id,
        "kind": "orders",
        "order_count": 2,
        "gross_fen": 10555,
        "fee_fen": 63,
        "commission_fen": 1000,
        "net_fen": 9492,
        "period_start": settlement.period_start.isoformat(),
        "period_end": settlement.period_end.isoformat(),
    }


def test_a_fee_rounded_to_nothing_writes_no_fee_entry():
    brand = open_merchant()
    order = complete_order(store_id=brand.store_id, total_fen=83)  # 0.498 fen
    bootstrap.settle_orders(as_of=T0 + HOUR)
    assert entries_of(brand) == [
        ("order_completed", "pending", 83, order.order_no),
        ("order_settled", "available", 83, order.order_no),
        ("order_settled", "pending", -83, order.order_no),
    ]
    assert balances(brand)["available_fen"] == 83
    assert audit.audit_money() == []


def test_a_crash_after_a_batch_leaves_it_settled_and_a_rerun_settles_the_rest(monkeypatch):
    # given five orders, and a run that dies in its third batch of two
    brand = open_merchant()
    for n in range(5):
        complete_order(
            store_id=brand.store_id, total_fen=1000 + n, completed_at=T0 + n * timedelta(minutes=1)
        )
    real = DjangoSettlementLedger.settle_orders
    calls = []

    def dying(self, batch, **kw):
        calls.append(len(batch.order_ids))
        real(self, batch, **kw)
        if len(calls) == 3:
            raise RuntimeError("killed")

    monkeypatch.setattr(DjangoSettlementLedger, "settle_orders", dying)
    # when
    with pytest.raises(RuntimeError):
        bootstrap.settle_orders(as_of=T0 + HOUR, batch_size=2)
    # then the first two batches are settled, the third rolled back
    assert OrderRevenue.objects.filter(settlement__isnull=False).count() == 4
    assert audit.audit_money() == []
    # when run again
    monkeypatch.setattr(DjangoSettlementLedger, "settle_orders", real)
    rerun = bootstrap.settle_orders(as_of=T0 + HOUR, batch_size=2)
    # then the rest, once
    assert rerun.orders == 1
    assert OrderRevenue.objects.filter(settlement__isnull=True).count() == 0
    assert sorted(Settlement.objects.values_list("order_count", flat=True)) == [1, 4]
    assert balances(brand)["available_fen"] == sum(1000 + n - 6 for n in range(5))
    assert audit.audit_money() == []


def statements(run, **options) -> int:
    with CaptureQueriesContext(connection) as captured:
        run(**options)
    return len(captured)


def orders_of_two_merchants(count: int) -> None:
    """`count` orders alternating between two new merchants, the brand's through a resale of a
    new affiliate, all of T0's day."""
    brand, other, affiliate = open_merchant(), open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000)
    for n in range(count):
        shop = brand if n % 2 else other
        complete_order(
            store_id=shop.store_id,
            total_fen=100 + n,
            completed_at=T0 + n * timedelta(minutes=1),
            resale=resale if shop is brand else None,
        )


def test_a_runs_statements_do_not_grow_with_its_orders():
    # given 3 orders of two merchants
    orders_of_two_merchants(3)
    # when settled, and then 30 orders of two other merchants
    few = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=100)
    few_commissions = statements(bootstrap.settle_commissions, as_of=NEXT_MIDNIGHT, batch_size=100)
    orders_of_two_merchants(30)
    many = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=100)
    many_commissions = statements(bootstrap.settle_commissions, as_of=NEXT_MIDNIGHT, batch_size=100)
    # then
    assert OrderRevenue.objects.filter(settlement__isnull=True).count() == 0
    assert OrderRevenue.objects.filter(commission_fen__gt=0, commission_settlement__isnull=True).count() == 0
    assert (few, few_commissions) == (many, many_commissions)
    assert audit.audit_money() == []


def test_a_runs_statements_grow_by_a_fixed_number_per_batch():
    # given 30 orders of two merchants, settled in one batch; and 30 more, in three
    orders_of_two_merchants(30)
    one_batch = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=30)
    orders_of_two_merchants(30)
    three_batches = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=10)
    # then each further batch costs the same statements, whatever it holds: savepoint, batch,
    # accounts, settlements, revenue, entries, balances, release
    assert three_batches - one_batch == 2 * 8
    assert audit.audit_money() == []


def test_a_dry_runs_statements_grow_by_one_read_per_batch():
    orders_of_two_merchants(30)
    one_batch = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=30, dry_run=True)
    three_batches = statements(bootstrap.settle_orders, as_of=T0 + HOUR, batch_size=10, dry_run=True)
    assert three_batches - one_batch == 2
