"""`make run`'s demo shows money at once: a brand with an affiliate member and a resale, two
completed orders (one through the resale) and one settlement, all conserved."""

import io

import pytest
from django.core.management import call_command

from contexts.affiliate.models import Membership, Resale
from contexts.merchant_account.audit import audit_money
from contexts.merchant_account.models import LedgerEntry, Settlement

# Committed for real: the demo settles orders whose credit follows their completion's commit.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_a_franchise_a_resale_and_one_conserved_settlement():
    # when
    call_command("seed_demo", stdout=io.StringIO())
    # then
    assert Membership.objects.count() == 1
    [resale] = Resale.objects.all()
    [settlement] = Settlement.objects.all()
    # 35.90 twice: fee 22 each (21.54 half-up), a 10 % commission on the resale order (359)
    assert (settlement.kind, settlement.order_count, settlement.gross_fen) == ("orders", 2, 7180)
    assert (settlement.fee_fen, settlement.commission_fen, settlement.net_fen) == (44, 359, 6777)
    assert LedgerEntry.objects.filter(kind="commission_withheld").get().amount_fen == -359
    assert resale.store_id == Membership.objects.get().member_store_id
    assert audit_money() == []


def test_running_the_demo_twice_adds_no_money():
    call_command("seed_demo", stdout=io.StringIO())
    before = (LedgerEntry.objects.count(), Settlement.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (LedgerEntry.objects.count(), Settlement.objects.count()) == before
