"""The settlement runs' use cases with an in-memory ledger, no database: batch after batch, one
settlement per merchant for the whole run, a dry run that writes nothing, a time budget that
stops between batches, and SettlementCompleted for each new settlement."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from contexts.merchant_account import services
from contexts.merchant_account.domain.ports import SettlementLedger
from contexts.merchant_account.domain.settlement import Unsettled, Withheld
from contexts.shared.domain.errors import InvalidInput
from tests.support.fakes import FakeUnitOfWork, FixedClock

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 3, 6, 9, 0, tzinfo=SHANGHAI)
DAY = datetime(2025, 3, 5, tzinfo=SHANGHAI)


class FakeLedger(SettlementLedger):
    """Revenue rows as plain dicts; a batch settles them as the adapter would."""

    def __init__(self, orders: list[dict]) -> None:
        self.rows = {"orders": {o["order_id"]: dict(o) for o in orders}, "settlements": {}}
        self.batches = 0
        self.fail_on_batch: int | None = None

    def _unsettled(self, as_of):
        found = [
            o for o in self.rows["orders"].values() if o["settlement"] is None and o["completed_at"] < as_of
        ]
        return sorted(found, key=lambda o: (o["completed_at"], o["order_id"]))

    def _as_unsettled(self, o) -> Unsettled:
        return Unsettled(o["order_id"], o["merchant"], o["total_fen"], o["commission_fen"], o["completed_at"])

    def count_unsettled(self, *, as_of):
        return len(self._unsettled(as_of))

    def lock_unsettled(self, *, as_of, limit):
        return [self._as_unsettled(o) for o in self._unsettled(as_of)[:limit]]

    def peek_unsettled(self, *, as_of, after, limit):
        rows = [
            o for o in self._unsettled(as_of) if after is None or (o["completed_at"], o["order_id"]) > after
        ]
        return [self._as_unsettled(o) for o in rows[:limit]]

    def settle_orders(self, batch, *, settlement_of, created, as_of, now):
        self.batches += 1
        for order_id in batch.order_ids:
            order = self.rows["orders"][order_id]
            order["settlement"], order["fee"] = settlement_of[order["merchant"]], batch.fees[order_id]
        if self.batches == self.fail_on_batch:
            raise RuntimeError("the database went away")
        for merchant, amounts in batch.merchants.items():
            sid = settlement_of[merchant]
            if sid in created:
                assert sid not in self.rows["settlements"]
                self.rows["settlements"][sid] = {
                    "merchant": merchant,
                    "kind": "orders",
                    "net": 0,
                    "orders": 0,
                }
            self.rows["settlements"][sid]["net"] += amounts.net_fen
            self.rows["settlements"][sid]["orders"] += amounts.order_count

    def _owed(self, as_of):
        found = [
            o
            for o in self.rows["orders"].values()
            if o["settlement"] and not o.get("paid") and o["commission_fen"] and o["cycle_end"] <= as_of
        ]
        return sorted(found, key=lambda o: (o["cycle_end"], o["order_id"]))

    def _as_withheld(self, o) -> Withheld:
        return Withheld(
            o["order_id"],
            o["affiliate"],
            o["commission_fen"],
            o["cycle_end"] - timedelta(days=1),
            o["cycle_end"],
        )

    def count_owed(self, *, as_of):
        return len(self._owed(as_of))

    def lock_owed(self, *, as_of, limit):
        return [self._as_withheld(o) for o in self._owed(as_of)[:limit]]

    def peek_owed(self, *, as_of, after, limit):
        rows = [o for o in self._owed(as_of) if after is None or (o["cycle_end"], o["order_id"]) > after]
        return [self._as_withheld(o) for o in rows[:limit]]

    def settle_commissions(self, batch, *, proposed, now):
        known = {(s["merchant"], s["end"]): sid for sid, s in self.rows["settlements"].items() if "end" in s}
        ids = {}
        for key, amounts in batch.cycles.items():
            sid = known.get((key[0], key[2])) or proposed[key]
            entry = self.rows["settlements"].setdefault(
                sid, {"merchant": key[0], "kind": "commissions", "end": key[2], "net": 0, "orders": 0}
            )
            entry["net"] += amounts.net_fen
            entry["orders"] += amounts.order_count
            ids[key] = sid
        for order_id in batch.order_ids:
            self.rows["orders"][order_id]["paid"] = True
        return ids

    def completed(self, settlement_ids):
        return [
            {"settlement_id": sid, "net_fen": self.rows["settlements"][sid]["net"]}
            for sid in sorted(settlement_ids)
        ]


def order(n: int, merchant: str, total_fen: int, *, commission_fen=0, affiliate=None) -> dict:
    return {
        "order_id": f"o{n}",
        "merchant": merchant,
        "total_fen": total_fen,
        "commission_fen": commission_fen,
        "affiliate": affiliate,
        "completed_at": DAY + timedelta(hours=n),
        "cycle_end": DAY + timedelta(days=1),
        "settlement": None,
    }


def world(orders: list[dict]) -> FakeUnitOfWork:
    return FakeUnitOfWork(settlements=FakeLedger(orders))


def settle(uow, clock=None, **options):
    return services.settle_orders(uow=uow, clock=clock or FixedClock(NOW), fee_bps=60, **options)


FIVE = [
    order(1, "brand", 10000, commission_fen=1000, affiliate="aff"),
    *[order(n, "other", 100) for n in range(2, 6)],
]


def test_a_run_settles_batch_after_batch_with_one_settlement_per_merchant():
    # given five orders of two merchants, batches of two
    uow = world(FIVE)
    # when
    summary = settle(uow, batch_size=2)
    # then three batches, two settlements whatever the batches
    ledger = uow.settlements
    assert ledger.batches == 3
    assert sorted((s["merchant"], s["orders"], s["net"]) for s in ledger.rows["settlements"].values()) == [
        ("brand", 1, 8940),
        ("other", 4, 396),
    ]
    assert {o["settlement"] is not None for o in ledger.rows["orders"].values()} == {True}
    assert (summary.orders, summary.gross_fen, summary.fee_fen, summary.commission_fen, summary.net_fen) == (
        5,
        10400,
        64,
        1000,
        9336,
    )
    assert (summary.settlements, summary.dry_run, summary.as_of) == (2, False, NOW)
    # and each settlement is announced once, with its final totals
    assert sorted((e.event_type, e.payload["net_fen"]) for e in uow.events) == [
        ("SettlementCompleted", 396),
        ("SettlementCompleted", 8940),
    ]


def test_a_dry_run_finds_the_same_figures_and_writes_nothing():
    # given
    uow = world(FIVE)
    before = uow.settlements.rows.copy()
    # when
    dry = settle(uow, batch_size=2, dry_run=True)
    # then
    assert uow.settlements.rows == before and uow.settlements.batches == 0
    assert (uow.commits, uow.events) == (0, [])
    real = settle(world(FIVE), batch_size=2)
    assert (dry.orders, dry.gross_fen, dry.fee_fen, dry.commission_fen, dry.net_fen) == (
        real.orders,
        real.gross_fen,
        real.fee_fen,
        real.commission_fen,
        real.net_fen,
    )
    assert (dry.dry_run, dry.settlements) == (True, 0)


def test_orders_completed_at_or_after_as_of_wait_for_a_later_run():
    uow = world(FIVE)
    summary = settle(uow, as_of=DAY + timedelta(hours=3))
    assert (summary.orders, [o["order_id"] for o in uow.settlements._unsettled(NOW)]) == (
        2,
        ["o3", "o4", "o5"],
    )


def test_a_failed_batch_leaves_the_batches_before_it_settled_and_a_rerun_settles_the_rest():
    # given the second batch fails
    uow = world(FIVE)
    uow.settlements.fail_on_batch = 2
    # when
    with pytest.raises(RuntimeError):
        settle(uow, batch_size=2)
    # then the first batch stays settled, the second rolled back
    assert [o["order_id"] for o in uow.settlements._unsettled(NOW)] == ["o3", "o4", "o5"]
    # when run again
    uow.settlements.fail_on_batch = None
    rerun = settle(uow, batch_size=2)
    # then
    assert (rerun.orders, uow.settlements._unsettled(NOW)) == (3, [])


def test_a_time_budget_stops_the_run_between_batches():
    # given a clock that moves a minute whenever it is read
    class Ticking(FixedClock):
        def now(self):
            self.advance(minutes=1)
            return self.at

    uow = world(FIVE)
    # when
    summary = settle(uow, clock=Ticking(NOW), batch_size=2, time_budget=timedelta(minutes=5))
    # then it stopped after two batches, leaving the last order for the next run
    assert (uow.settlements.batches, summary.orders) == (2, 4)
    assert [o["order_id"] for o in uow.settlements._unsettled(NOW + timedelta(hours=1))] == ["o5"]


def test_as_of_needs_its_offset():
    uow = world(FIVE)
    with pytest.raises(InvalidInput):
        settle(uow, as_of=datetime(2025, 3, 6, 9, 0))
    assert uow.settlements.batches == 0


def test_commissions_are_paid_per_affiliate_and_cycle_once_the_cycle_closed():
    # given the brand order settled
    uow = world(FIVE)
    settle(uow)
    # when the cycle has not closed / when it has, twice
    early = services.settle_commissions(uow=uow, clock=FixedClock(NOW), as_of=DAY + timedelta(hours=23))
    paid = services.settle_commissions(uow=uow, clock=FixedClock(NOW), as_of=DAY + timedelta(days=1))
    again = services.settle_commissions(uow=uow, clock=FixedClock(NOW), as_of=DAY + timedelta(days=1))
    # then
    assert (early.orders, paid.orders, again.orders) == (0, 1, 0)
    assert (paid.gross_fen, paid.fee_fen, paid.commission_fen, paid.net_fen, paid.settlements) == (
        1000,
        0,
        1000,
        1000,
        1,
    )
    commissions = [s for s in uow.settlements.rows["settlements"].values() if s["kind"] == "commissions"]
    assert [(s["merchant"], s["orders"], s["net"]) for s in commissions] == [("aff", 1, 1000)]
    assert [e.payload["net_fen"] for e in uow.events].count(1000) == 1
