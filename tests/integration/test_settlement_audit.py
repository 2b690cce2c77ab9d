"""audit_money over the real database: it passes on good data, and on data corrupted behind the
use cases' back (an entry deleted, altered or duplicated, a cached balance or a settlement's
total changed) it names the order, the settlement or the merchant."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from contexts.merchant_account import audit, bootstrap
from contexts.merchant_account.models import LedgerEntry, MerchantAccount, Settlement
from tests.support.money import T0, complete_order, open_merchant, resale_through

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    """A settled resale order whose commission was paid, and an order still pending."""
    brand, affiliate = open_merchant(), open_merchant()
    resale = resale_through(affiliate, commission_bps=1000, billing_cycle="daily")
    resold = complete_order(store_id=brand.store_id, total_fen=10000, completed_at=T0, resale=resale)
    bootstrap.settle_orders(as_of=T0 + timedelta(hours=1))
    bootstrap.settle_commissions(as_of=T0 + timedelta(days=1))
    waiting = complete_order(store_id=brand.store_id, total_fen=700, completed_at=T0 + timedelta(hours=2))
    return brand, affiliate, resold, waiting


def subjects(problems) -> set[tuple[str, str]]:
    return {(p.subject, p.ref) for p in problems}


def test_good_books_are_conserved(books, capsys):
    # when
    problems = audit.audit_money()
    call_command("audit_money")
    # then
    assert problems == []
    assert capsys.readouterr().out.strip() == "audit_money: 2 orders, all conserved"


def test_a_deleted_fee_entry_names_its_order_and_settlement(books, capsys):
    # given
    brand, _affiliate, resold, _waiting = books
    LedgerEntry.objects.filter(order_id=resold.order_id, kind="platform_fee").delete()
    # when
    problems = audit.audit_money()
    # then the order, its settlement, and the brand's cached balance that no longer adds up
    settlement = Settlement.objects.get(kind="orders")
    assert subjects(problems) == {
        ("order", resold.order_no),
        ("settlement", settlement.pk),
        ("merchant", brand.merchant_id),
    }
    assert "platform_fee on available missing (expected -60)" in [p.detail for p in problems]
    with pytest.raises(CommandError, match="audit_money: 5 problems in 2 orders"):
        call_command("audit_money")
    assert capsys.readouterr().out.splitlines() == [
        f"order {resold.order_no}: settled total 10000 != net + fee + commission: "
        "pending 0, net 9000, fee 60, commission 1000",
        f"order {resold.order_no}: platform_fee on available missing (expected -60)",
        f"settlement {settlement.pk}: fee_fen 60 but its entries say 0",
        f"settlement {settlement.pk}: net_fen 8940 but its entries say 9000",
        f"merchant {brand.merchant_id}: cached available_fen 8940 != 9000 from the ledger",
    ]


def test_a_commission_paid_twice_names_its_order(books):
    # given an extra commission_earned, as if the affiliate were paid twice (the database
    # refuses a second row of the same kind, so this one is misfiled as another order's)
    _brand, affiliate, resold, waiting = books
    paid = LedgerEntry.objects.get(kind="commission_earned")
    LedgerEntry.objects.create(
        merchant_id=paid.merchant_id,
        kind="commission_earned",
        balance="available",
        amount_fen=1000,
        order_id=waiting.order_id,
        order_no=waiting.order_no,
        store_id=paid.store_id,
        settlement_id=paid.settlement_id,
        created_at=paid.created_at,
    )
    # when
    problems = audit.audit_money()
    # then
    assert ("order", waiting.order_no) in subjects(problems)
    assert ("merchant", affiliate.merchant_id) in subjects(problems)
    assert ("order", resold.order_no) not in subjects(problems)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite drops a constraint by rebuilding")
def test_an_entry_written_twice_is_named_when_the_database_lets_it_through(books):
    # given the unique constraint dropped (a bad migration) and the pending credit written twice
    _brand, _affiliate, _resold, waiting = books
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before ALTER
    with connection.schema_editor() as editor:
        unique = next(c for c in LedgerEntry._meta.constraints if c.name == "entry_once_per_order")
        editor.remove_constraint(LedgerEntry, unique)
    credit = LedgerEntry.objects.get(order_id=waiting.order_id)
    credit.pk = None
    credit.save()
    # when
    problems = audit.audit_money()
    # then
    assert "order_completed on pending written more than once" in [
        p.detail for p in problems if p.ref == waiting.order_no
    ]


def test_a_cached_balance_that_drifted_names_its_merchant(books):
    brand, *_ = books
    MerchantAccount.objects.filter(merchant_id=brand.merchant_id).update(available_fen=9000)
    problems = audit.audit_money()
    assert [(p.subject, p.ref, p.detail) for p in problems] == [
        ("merchant", brand.merchant_id, "cached available_fen 9000 != 8940 from the ledger")
    ]


def test_a_settlement_total_changed_names_the_settlement(books):
    settlement = Settlement.objects.get(kind="commissions")
    Settlement.objects.filter(pk=settlement.pk).update(gross_fen=900, commission_fen=900, net_fen=900)
    problems = audit.audit_money()
    assert subjects(problems) == {("settlement", settlement.pk)}


def test_an_amount_altered_names_its_order(books):
    _brand, _affiliate, resold, _waiting = books
    LedgerEntry.objects.filter(order_id=resold.order_id, kind="commission_withheld").update(amount_fen=-999)
    problems = audit.audit_money()
    assert ("order", resold.order_no) in subjects(problems)
    assert any("commission withheld 999 != paid 1000" in p.detail for p in problems)
