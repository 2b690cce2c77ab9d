"""Settlement's domain, no database: billing cycles in Asia/Shanghai, the plan of a batch, the
run's summary line and the rules audit_money applies."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contexts.merchant_account.contracts import RunSummary
from contexts.merchant_account.domain.audit import (
    AccountFacts,
    EntryGroup,
    RevenueFacts,
    SettlementFacts,
    account_problems,
    order_problems,
    settlement_problems,
)
from contexts.merchant_account.domain.cycles import Cycle, cycle_containing
from contexts.merchant_account.domain.settlement import (
    Amounts,
    Unsettled,
    Withheld,
    plan_commissions_batch,
    plan_orders_batch,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("at", "kind", "start", "end"),
    [
        # daily: local midnight to local midnight
        (local(2025, 3, 5, 0, 0), "daily", local(2025, 3, 5), local(2025, 3, 6)),
        (local(2025, 3, 5, 23, 59, 59, 999999), "daily", local(2025, 3, 5), local(2025, 3, 6)),
        # 16:00 UTC is already the next day in Shanghai
        (datetime(2025, 3, 5, 16, 0, tzinfo=UTC), "daily", local(2025, 3, 6), local(2025, 3, 7)),
        (datetime(2025, 3, 5, 15, 59, 59, tzinfo=UTC), "daily", local(2025, 3, 5), local(2025, 3, 6)),
        # weekly: from Monday (3 March 2025 is a Monday)
        (local(2025, 3, 3, 0, 0), "weekly", local(2025, 3, 3), local(2025, 3, 10)),
        (local(2025, 3, 9, 23, 59), "weekly", local(2025, 3, 3), local(2025, 3, 10)),  # Sunday night
        (local(2025, 3, 10, 0, 0), "weekly", local(2025, 3, 10), local(2025, 3, 17)),
        (local(2024, 12, 31, 12, 0), "weekly", local(2024, 12, 30), local(2025, 1, 6)),  # across a year
        # monthly: from the 1st
        (local(2025, 1, 31, 23, 59), "monthly", local(2025, 1, 1), local(2025, 2, 1)),
        (local(2025, 2, 1, 0, 0), "monthly", local(2025, 2, 1), local(2025, 3, 1)),
        (local(2024, 2, 29, 8, 0), "monthly", local(2024, 2, 1), local(2024, 3, 1)),  # leap year
        (local(2025, 12, 31, 23, 0), "monthly", local(2025, 12, 1), local(2026, 1, 1)),
    ],
)
def test_a_billing_cycle_runs_from_local_midnight(at, kind, start, end):
    assert cycle_containing(at, kind) == Cycle(start=start, end=end)


def test_a_cycle_closes_at_its_end():
    cycle = cycle_containing(local(2025, 3, 5, 12), "daily")
    assert cycle.closed_by(local(2025, 3, 6)) is True
    assert cycle.closed_by(local(2025, 3, 6) - timedelta(microseconds=1)) is False


@pytest.mark.parametrize(("at", "kind"), [(datetime(2025, 3, 5, 12), "daily"), (local(2025, 3, 5), "yearly")])
def test_a_cycle_needs_an_aware_time_and_a_known_kind(at, kind):
    with pytest.raises(ValueError):
        cycle_containing(at, kind)


def test_a_batch_plan_has_each_orders_fee_and_each_merchants_totals():
    # given two orders of the brand (one through a resale at 10 %) and one of another merchant
    rows = [
        Unsettled("o1", "brand", 10000, 1000, local(2025, 3, 5, 10)),
        Unsettled("o2", "brand", 84, 0, local(2025, 3, 4, 10)),
        Unsettled("o3", "other", 2500, 0, local(2025, 3, 5, 11)),
    ]
    # when
    batch = plan_orders_batch(rows, fee_bps=60)
    # then
    assert batch.order_ids == ["o1", "o2", "o3"]
    assert batch.fees == {"o1": 60, "o2": 1, "o3": 15}
    assert batch.merchants == {
        "brand": Amounts(
            order_count=2,
            gross_fen=10084,
            fee_fen=61,
            commission_fen=1000,
            net_fen=9023,
            period_start=local(2025, 3, 4, 10),
        ),
        "other": Amounts(1, 2500, 15, 0, 2485, local(2025, 3, 5, 11)),
    }


def test_an_order_whose_fee_and_commission_exceed_it_cannot_be_planned():
    with pytest.raises(ValueError, match="exceed"):
        plan_orders_batch([Unsettled("o1", "brand", 100, 100, local(2025, 3, 5))], fee_bps=60)


def test_a_commission_plan_groups_orders_by_affiliate_and_cycle():
    # given
    day1, day2, day3 = local(2025, 3, 5), local(2025, 3, 6), local(2025, 3, 7)
    rows = [
        Withheld("o1", "aff", 1000, day1, day2),
        Withheld("o2", "aff", 250, day1, day2),
        Withheld("o3", "aff", 300, day2, day3),
        Withheld("o4", "aff2", 7, day1, day2),
    ]
    # when
    batch = plan_commissions_batch(rows)
    # then gross = commission = net, no fee
    assert batch.cycle_of == {
        "o1": ("aff", day1, day2),
        "o2": ("aff", day1, day2),
        "o3": ("aff", day2, day3),
        "o4": ("aff2", day1, day2),
    }
    assert batch.cycles == {
        ("aff", day1, day2): Amounts(2, 1250, 0, 1250, 1250, day1),
        ("aff", day2, day3): Amounts(1, 300, 0, 300, 300, day2),
        ("aff2", day1, day2): Amounts(1, 7, 0, 7, 7, day1),
    }


def test_a_run_ends_with_a_one_line_summary_in_yuan_and_fen():
    summary = RunSummary(
        kind="orders",
        as_of=local(2025, 3, 6),
        dry_run=False,
        orders=2,
        gross_fen=1010084,
        fee_fen=6061,
        commission_fen=1000,
        net_fen=1003023,
        settlements=1,
    )
    assert summary.line() == (
        "orders 2, gross ¥10,100.84 / 1010084 fen, fee ¥60.61 / 6061 fen, "
        "commission ¥10.00 / 1000 fen, net ¥10,030.23 / 1003023 fen"
    )


def facts(**changes) -> RevenueFacts:
    values = {
        "order_id": "o1",
        "order_no": "N1",
        "merchant_id": "brand",
        "affiliate_merchant_id": "aff",
        "total_fen": 10000,
        "commission_fen": 1000,
        "fee_fen": 60,
        "settlement_id": "s1",
        "commission_settlement_id": "c1",
        "reversed": False,
    }
    return RevenueFacts(**(values | changes))


def group(kind, balance, fen, merchant="brand", settlement="s1", count=1) -> EntryGroup:
    return EntryGroup(kind, balance, merchant, settlement, count, fen)


PAID_IN_FULL = [
    group("order_completed", "pending", 10000, settlement=None),
    group("order_settled", "pending", -10000),
    group("order_settled", "available", 10000),
    group("platform_fee", "available", -60),
    group("commission_withheld", "available", -1000),
    group("commission_earned", "available", 1000, merchant="aff", settlement="c1"),
]


def test_an_order_settled_and_its_commission_paid_is_conserved():
    assert order_problems(facts(), PAID_IN_FULL) == []


def test_an_order_credited_only_is_conserved_all_pending():
    unsettled = facts(fee_fen=None, settlement_id=None, commission_settlement_id=None)
    assert order_problems(unsettled, PAID_IN_FULL[:1]) == []


def test_a_missing_fee_entry_is_named():
    problems = order_problems(facts(), [g for g in PAID_IN_FULL if g.kind != "platform_fee"])
    assert problems == [
        "settled total 10000 != net + fee + commission: pending 0, net 9000, fee 60, commission 1000",
        "platform_fee on available missing (expected -60)",
    ]


def test_a_credit_written_twice_is_named():
    twice = [group("order_completed", "pending", 20000, settlement=None, count=2)]
    problems = order_problems(facts(fee_fen=None, settlement_id=None, commission_settlement_id=None), twice)
    assert problems == [
        "unsettled total 10000 is not all pending: pending 20000, net 0",
        "order_completed on pending written more than once",
    ]


def test_a_commission_paid_to_the_wrong_merchant_is_named():
    wrong = [
        *PAID_IN_FULL[:-1],
        group("commission_earned", "available", 1000, merchant="brand", settlement="c1"),
    ]
    assert order_problems(facts(), wrong) == [
        "commission_earned on available is 1000 for merchant brand in settlement c1, "
        "expected 1000 for merchant aff in settlement c1"
    ]


def test_a_settlements_figures_must_equal_its_entries():
    settlement = SettlementFacts("s1", "orders", 1, 10000, 60, 1000, 8940)
    sums = {
        ("order_settled", "pending"): (1, -10000),
        ("order_settled", "available"): (1, 10000),
        ("platform_fee", "available"): (1, -60),
        ("commission_withheld", "available"): (1, -1000),
    }
    assert settlement_problems(settlement, sums, orders=1) == []
    assert settlement_problems(settlement, {**sums, ("platform_fee", "available"): (1, -50)}, orders=2) == [
        "fee_fen 60 but its entries say 50",
        "net_fen 8940 but its entries say 8950",
        "order_count 1 but 2 orders point to it",
    ]


def test_a_cached_balance_must_equal_the_ledger():
    sums = AccountFacts("brand", 0, 8940, 8940, 0)
    assert account_problems(AccountFacts("brand", 0, 8940, 8940, 0), sums) == []
    assert account_problems(AccountFacts("brand", 5, 8940, 8940, 0), sums) == [
        "cached pending_fen 5 != 0 from the ledger"
    ]
