"""The ledger's domain, no database: fees rounded half-up once per order, an order's revenue
credited with its commission's billing cycle, the refund rule, and entries that move the right
balance with the right sign."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from contexts.merchant_account.domain.cycles import Cycle
from contexts.merchant_account.domain.ledger import (
    ORDER_COMPLETED,
    ORDER_REVERSED,
    PENDING,
    LedgerEntry,
    OrderRevenue,
    SettledOrderRefunded,
    platform_fee,
)
from contexts.merchant_account.domain.model import MerchantAccount
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.values import Money

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMPLETED = datetime(2025, 3, 5, 21, 30, tzinfo=SHANGHAI)  # a Wednesday
NOW = datetime(2025, 3, 6, 9, 0, tzinfo=SHANGHAI)


def revenue(
    total_fen=10000, *, commission_fen=0, resale=False, cycle="weekly", merchant="brand"
) -> OrderRevenue:
    return OrderRevenue.credit(
        order_id="order-1",
        order_no="20250305213000000001",
        store_id="store-1",
        merchant_id=merchant,
        total=Money(total_fen),
        completed_at=COMPLETED,
        resale_id="resale-1" if resale else None,
        affiliate_merchant_id="affiliate" if resale else None,
        commission=Money(commission_fen),
        billing_cycle=cycle if resale else None,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("total_fen", "fee_bps", "fee_fen"),
    [
        (10000, 60, 60),
        (83, 60, 0),  # 0.498 -> 0
        (84, 60, 1),  # 0.504 -> 1
        (2500, 2, 1),  # exactly 0.5 -> 1: half up
        (7500, 2, 2),  # exactly 1.5 -> 2
        (12345, 60, 74),  # 74.07 -> 74
        (0, 60, 0),
    ],
)
def test_the_platform_fee_is_rounded_half_up_once_per_order(total_fen, fee_bps, fee_fen):
    assert platform_fee(Money(total_fen), fee_bps) == Money(fee_fen)


def test_a_resale_orders_revenue_keeps_its_commission_and_the_cycle_of_its_completion():
    # when
    credited = revenue(10000, commission_fen=1000, resale=True, cycle="weekly")
    # then the week from Monday 3 March, local midnight
    assert credited.commission == Money(1000)
    assert credited.commission_cycle == Cycle(
        start=datetime(2025, 3, 3, tzinfo=SHANGHAI), end=datetime(2025, 3, 10, tzinfo=SHANGHAI)
    )
    assert (credited.affiliate_merchant_id, credited.credited_at, credited.settled) == (
        "affiliate",
        NOW,
        False,
    )


def test_an_order_outside_a_resale_has_no_commission_and_no_cycle():
    credited = revenue(500)
    assert (credited.commission, credited.commission_cycle, credited.affiliate_merchant_id) == (
        Money(0),
        None,
        None,
    )


@pytest.mark.parametrize(
    "terms",
    [
        {"total_fen": 100, "commission_fen": 101, "resale": True},  # more than the whole
        {"total_fen": -1},
        {"total_fen": 100, "commission_fen": 10, "resale": False},  # a commission without a resale
    ],
)
def test_revenue_refuses_impossible_terms(terms):
    with pytest.raises(ValueError):
        revenue(**terms)


def test_crediting_an_order_puts_its_total_in_pending_with_one_entry():
    # given
    account = MerchantAccount.open(merchant_id="brand")
    credited = revenue(10000)
    # when
    entry = account.credit_order(credited, now=NOW)
    # then
    assert (account.pending, account.available) == (Money(10000), Money(0))
    assert entry == LedgerEntry(
        merchant_id="brand",
        kind=ORDER_COMPLETED,
        balance=PENDING,
        amount=Money(10000),
        order_id="order-1",
        order_no="20250305213000000001",
        store_id="store-1",
        created_at=NOW,
    )
    assert account.new_entries == [entry]


def test_a_credited_order_refunded_before_settlement_is_reversed_once():
    # given
    account = MerchantAccount.open(merchant_id="brand")
    credited = revenue(10000)
    account.credit_order(credited, now=NOW)
    # when
    first = credited.reverse(now=NOW)
    entry = account.reverse_order(credited, now=NOW)
    second = credited.reverse(now=NOW)
    # then
    assert (first, second, credited.reversed_at) == (True, False, NOW)
    assert (entry.kind, entry.balance, entry.amount) == (ORDER_REVERSED, PENDING, Money(-10000))
    assert account.pending == Money(0)


def test_a_settled_order_refunded_is_refused_and_nothing_changes():
    # given
    credited = revenue(10000)
    credited.settlement_id = "settlement-1"
    # when / then
    with pytest.raises(SettledOrderRefunded) as refused:
        credited.reverse(now=NOW)
    assert isinstance(refused.value, Conflict) and refused.value.code == "invalid_state"
    assert credited.reversed_at is None


def test_an_account_never_goes_below_zero_pending():
    # given an account whose order was never credited
    account = MerchantAccount.open(merchant_id="brand")
    # when / then
    with pytest.raises(ValueError, match="pending"):
        account.reverse_order(revenue(10000), now=NOW)


def test_an_account_moves_only_its_own_merchants_money():
    account = MerchantAccount.open(merchant_id="someone-else")
    with pytest.raises(ValueError, match="own merchant"):
        account.credit_order(revenue(10000), now=NOW)
    assert (account.pending, account.new_entries) == (Money(0), [])


@pytest.mark.parametrize(
    ("kind", "balance", "fen"),
    [
        ("order_completed", "pending", -1),
        ("order_completed", "available", 1),
        ("platform_fee", "available", 1),
        ("commission_earned", "available", -1),
        ("commission_withheld", "pending", -1),
        ("made_up", "pending", 1),
    ],
)
def test_an_entry_moves_only_its_kinds_balance_with_its_sign(kind, balance, fen):
    with pytest.raises(ValueError):
        LedgerEntry(
            merchant_id="brand",
            kind=kind,
            balance=balance,
            amount=Money(fen),
            order_id="order-1",
            order_no="1",
            store_id="store-1",
            created_at=NOW,
        )
