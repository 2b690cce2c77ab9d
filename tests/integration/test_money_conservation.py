"""Money is conserved to the fen whatever happens (issue 12, item 4): hypothesis drives random
sequences of orders (resale or not, at various rates, cycles and totals, refunded before
completion or completed, their OrderCompleted delivered once or twice), settlement and
commission runs at random as-of times, dry, repeated and two at once (real threads), and after
every step checks, against the database and against its own arithmetic:

- audit_money finds nothing;
- every fen of every completed order is pending, available, a platform fee or a commission
  owed: Σpending + Σavailable + Σfee + (Σwithheld − Σearned) = Σ totals completed;
- each order was credited once with the commission this test computes itself (half-up, per
  order), and every order completed before a run's as-of is settled then, with its fee;
- a refunded order credits nothing.

Each example starts from empty money tables and new merchants (the database is real and
committed: threads need it)."""

from datetime import timedelta

import pytest
from django.conf import settings as settings_module
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from contexts.merchant_account import bootstrap, models, tasks
from contexts.merchant_account.audit import audit_money
from tests.support.money import T0, open_merchant, order_events, publish, resale_through
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

FEE_BPS = settings_module.PLATFORM_FEE_BPS
HORIZON_MINUTES = 60 * 24 * 45  # orders complete within ~6 weeks: every kind of cycle closes

orders = st.fixed_dictionaries(
    {
        "step": st.just("order"),
        "total_fen": st.integers(min_value=1, max_value=5_000_000),
        "brand": st.integers(0, 1),
        "resale": st.booleans(),
        "commission_bps": st.integers(min_value=0, max_value=5000),
        "cycle": st.sampled_from(["daily", "weekly", "monthly"]),
        "minute": st.integers(0, HORIZON_MINUTES),
        "refunded": st.booleans(),
        "delivered_twice": st.booleans(),
    }
)
runs = st.fixed_dictionaries(
    {
        "step": st.sampled_from(["settle_orders", "settle_commissions"]),
        "minute": st.integers(0, HORIZON_MINUTES + 60 * 24 * 35),
        "mode": st.sampled_from(["once", "twice", "dry_run", "at_once"]),
    }
)


FINAL_RUNS = [
    {"step": "settle_orders", "minute": HORIZON_MINUTES + 60 * 24 * 40, "mode": "once"},
    {"step": "settle_commissions", "minute": HORIZON_MINUTES + 60 * 24 * 40, "mode": "once"},
]


def half_up(total: int, bps: int) -> int:
    return (total * bps + 5_000) // 10_000


def empty_the_ledger() -> None:
    models.LedgerEntry.objects.all().delete()
    models.OrderRevenue.objects.all().delete()
    models.Settlement.objects.all().delete()
    models.MerchantAccount.objects.update(
        pending_fen=0, available_fen=0, settled_total_fen=0, commission_total_fen=0
    )


def run(step: dict) -> None:
    settle = getattr(bootstrap, step["step"])
    as_of = T0 + timedelta(minutes=step["minute"])

    def call(dry_run: bool = False):
        return settle(as_of=as_of, dry_run=dry_run)

    if step["mode"] == "dry_run":
        call(dry_run=True)
    elif step["mode"] == "at_once":
        outcomes = run_at_once([call, call], on_success=lambda summary: "ok")
        assert outcomes == ["ok", "ok"]
    else:
        for _ in range(2 if step["mode"] == "twice" else 1):
            call()


def sum_of(kind: str, **where) -> int:
    rows = models.LedgerEntry.objects.filter(kind=kind, **where)
    return sum(rows.values_list("amount_fen", flat=True))


def check_conservation(completed: dict[str, dict], must_be_settled: set[str]) -> None:
    assert audit_money() == []
    accounts = models.MerchantAccount.objects.all()
    held = sum(a.pending_fen + a.available_fen for a in accounts)
    fees = -sum_of("platform_fee")
    owed = -sum_of("commission_withheld") - sum_of("commission_earned")
    assert held + fees + owed == sum(o["total_fen"] for o in completed.values())
    assert owed >= 0
    revenue = {r.order_id: r for r in models.OrderRevenue.objects.all()}
    assert set(revenue) == set(completed)  # credited once each, refunds never
    for order_id, order in completed.items():
        row = revenue[order_id]
        assert (row.total_fen, row.commission_fen) == (order["total_fen"], order["commission_fen"])
        if order_id in must_be_settled:
            assert row.settlement_id is not None
        if row.settlement_id is not None:
            assert row.fee_fen == half_up(order["total_fen"], FEE_BPS)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.tuples(st.lists(orders, min_size=1, max_size=8), st.lists(runs, min_size=1, max_size=6)).flatmap(
        lambda drawn: st.permutations(drawn[0] + drawn[1])
    )
)
def test_every_fen_of_every_completed_order_is_in_exactly_one_place(steps):
    # given two brands and one affiliate, and no money yet
    empty_the_ledger()
    brands = [open_merchant(), open_merchant()]
    affiliate = open_merchant()
    completed: dict[str, dict] = {}
    must_be_settled: set[str] = set()
    for step in steps:
        # when
        if step["step"] == "order":
            resale = (
                resale_through(affiliate, commission_bps=step["commission_bps"], billing_cycle=step["cycle"])
                if step["resale"]
                else None
            )
            at = T0 + timedelta(minutes=step["minute"])
            events = order_events(
                store_id=brands[step["brand"]].store_id,
                total_fen=step["total_fen"],
                completed_at=at,
                resale=resale,
            )
            if step["refunded"]:
                # merchant_account's own reaction (the other subscribers know no such goods)
                tasks.on_order_refunded(events.refunded)
            else:
                publish(events.completed)
                if step["delivered_twice"]:
                    tasks.on_order_completed(events.completed)  # as a redelivery would
                completed[events.order_id] = {
                    "total_fen": step["total_fen"],
                    "commission_fen": half_up(step["total_fen"], step["commission_bps"]) if resale else 0,
                    "completed_at": at,
                }
        else:
            run(step)
            if step["step"] == "settle_orders" and step["mode"] != "dry_run":
                as_of = T0 + timedelta(minutes=step["minute"])
                must_be_settled |= {i for i, o in completed.items() if o["completed_at"] < as_of}
        # then
        check_conservation(completed, must_be_settled)
    settled = models.OrderRevenue.objects.filter(settlement__isnull=False)
    event(f"settled before the end: {min(settled.count(), 3)}+")
    event(f"commissions paid before the end: {settled.filter(commission_settlement__isnull=False).exists()}")
    # when, at last, every cycle has closed and both runs go over everything
    for step in FINAL_RUNS:
        run(step)
    # then every completed order is settled and every commission withheld is paid
    check_conservation(completed, set(completed))
    assert sum_of("commission_earned") == -sum_of("commission_withheld")
