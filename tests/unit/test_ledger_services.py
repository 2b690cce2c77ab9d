"""The ledger's use cases with in-memory fakes, no database: an order completed is credited once,
a refund reverses an unsettled credit and is refused for a settled one."""

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contexts.merchant_account import services
from contexts.merchant_account.domain.ledger import SettledOrderRefunded
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import AccountRepository, MerchantRepository, RevenueRepository
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.values import Money
from tests.support.fakes import FakeUnitOfWork, FixedClock, stored

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 3, 6, 9, 0, tzinfo=SHANGHAI)
COMPLETED = datetime(2025, 3, 5, 21, 30, tzinfo=SHANGHAI)


class FakeMerchants(MerchantRepository):
    def __init__(self, stores: dict[str, str]) -> None:
        self.rows = {
            merchant_id: Merchant(
                id=merchant_id, user_id=f"user-{merchant_id}", created_at=NOW, store_ids=[store]
            )
            for store, merchant_id in stores.items()
        }

    def by_user(self, user_id):
        return next((m for m in self.rows.values() if m.user_id == user_id), None)

    def by_store(self, store_id):
        found = next((m for m in self.rows.values() if store_id in m.store_ids), None)
        return replace(found, store_ids=list(found.store_ids)) if found else None

    def add(self, merchant):
        self.rows[merchant.id] = merchant

    def save(self, merchant):
        self.rows[merchant.id] = merchant


class FakeAccounts(AccountRepository):
    def __init__(self, merchant_ids) -> None:
        self.rows = {m: MerchantAccount.open(merchant_id=m) for m in merchant_ids}
        self.entries = []

    def by_merchant(self, merchant_id):
        found = self.rows.get(merchant_id)
        return stored(found) if found else None

    def add(self, account):
        self.rows[account.merchant_id] = account

    def save(self, account):
        self.entries += account.new_entries
        self.rows[account.merchant_id] = replace(stored(account), new_entries=[])


class FakeRevenue(RevenueRepository):
    def __init__(self) -> None:
        self.rows = {}

    def get(self, order_id, *, lock=False):
        found = self.rows.get(order_id)
        return stored(found) if found else None

    def add(self, revenue):
        if revenue.id in self.rows:
            return False
        self.rows[revenue.id] = stored(revenue)
        return True

    def save(self, revenue):
        self.rows[revenue.id] = stored(revenue)


def fake_uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(
        merchants=FakeMerchants({"brand-store": "brand", "affiliate-store": "affiliate"}),
        accounts=FakeAccounts(["brand", "affiliate"]),
        revenue=FakeRevenue(),
    )


def credit(uow, order_id="order-1", **terms) -> bool:
    order = {
        "order_no": "20250305213000000001",
        "store_id": "brand-store",
        "total_fen": 10000,
        "completed_at": COMPLETED,
    }
    return services.credit_completed_order(
        uow=uow, clock=FixedClock(NOW), order_id=order_id, **(order | terms)
    )


def test_a_completed_order_is_credited_to_its_store_merchants_pending_balance():
    # given
    uow = fake_uow()
    # when
    credited = credit(uow)
    # then
    assert credited is True
    assert uow.accounts.rows["brand"].pending == Money(10000)
    assert [(e.merchant_id, e.kind, e.balance, e.amount) for e in uow.accounts.entries] == [
        ("brand", "order_completed", "pending", Money(10000))
    ]
    revenue = uow.revenue.rows["order-1"]
    assert (revenue.merchant_id, revenue.total, revenue.completed_at, revenue.credited_at) == (
        "brand",
        Money(10000),
        COMPLETED,
        NOW,
    )


def test_the_same_order_credited_twice_is_credited_once():
    # given
    uow = fake_uow()
    credit(uow)
    # when
    again = credit(uow)
    # then
    assert again is False
    assert uow.accounts.rows["brand"].pending == Money(10000)
    assert len(uow.accounts.entries) == 1


def test_a_resale_order_names_the_affiliates_merchant_and_keeps_its_commission():
    # given
    uow = fake_uow()
    # when
    credit(
        uow,
        resale_id="resale-1",
        affiliate_store_id="affiliate-store",
        commission_fen=1000,
        billing_cycle="monthly",
    )
    # then the whole total is the brand's pending until settlement
    revenue = uow.revenue.rows["order-1"]
    assert (revenue.affiliate_merchant_id, revenue.commission) == ("affiliate", Money(1000))
    assert (revenue.commission_cycle.start, revenue.commission_cycle.end) == (
        datetime(2025, 3, 1, tzinfo=SHANGHAI),
        datetime(2025, 4, 1, tzinfo=SHANGHAI),
    )
    assert (uow.accounts.rows["brand"].pending, uow.accounts.rows["affiliate"].pending) == (
        Money(10000),
        Money(0),
    )


@pytest.mark.parametrize(
    "terms",
    [
        {"store_id": "unknown-store"},
        {"resale_id": "r", "affiliate_store_id": "unknown", "billing_cycle": "daily"},
    ],
)
def test_an_order_of_a_store_without_a_merchant_is_not_credited_and_will_be_retried(terms):
    # given
    uow = fake_uow()
    # when / then
    with pytest.raises(NotFound):
        credit(uow, **terms)
    assert (uow.revenue.rows, uow.accounts.entries, uow.accounts.rows["brand"].pending) == ({}, [], Money(0))


def test_a_refund_of_an_order_never_credited_changes_nothing():
    uow = fake_uow()
    assert services.reverse_refunded_order(uow=uow, clock=FixedClock(NOW), order_id="order-1") is False
    assert (uow.revenue.rows, uow.accounts.entries) == ({}, [])


def test_a_refund_of_a_credited_unsettled_order_reverses_it_once():
    # given
    uow = fake_uow()
    credit(uow)
    # when
    first = services.reverse_refunded_order(uow=uow, clock=FixedClock(NOW), order_id="order-1")
    second = services.reverse_refunded_order(uow=uow, clock=FixedClock(NOW), order_id="order-1")
    # then
    assert (first, second) == (True, False)
    assert uow.accounts.rows["brand"].pending == Money(0)
    assert [(e.kind, e.amount) for e in uow.accounts.entries] == [
        ("order_completed", Money(10000)),
        ("order_reversed", Money(-10000)),
    ]
    assert uow.revenue.rows["order-1"].reversed_at == NOW


def test_a_reversed_order_completed_again_is_not_credited_again():
    uow = fake_uow()
    credit(uow)
    services.reverse_refunded_order(uow=uow, clock=FixedClock(NOW), order_id="order-1")
    assert credit(uow) is False
    assert uow.accounts.rows["brand"].pending == Money(0)


def test_a_refund_of_a_settled_order_is_refused_and_nothing_changes():
    # given
    uow = fake_uow()
    credit(uow)
    uow.revenue.rows["order-1"].settlement_id = "settlement-1"
    before = (stored(uow.revenue.rows["order-1"]).__dict__, list(uow.accounts.entries))
    # when / then
    with pytest.raises(SettledOrderRefunded):
        services.reverse_refunded_order(uow=uow, clock=FixedClock(NOW), order_id="order-1")
    assert (stored(uow.revenue.rows["order-1"]).__dict__, list(uow.accounts.entries)) == before
    assert uow.accounts.rows["brand"].pending == Money(10000)
