"""Read side of merchant_account: ORM -> contracts, one query each (a page: its count and its
rows). Every read of a merchant's money is its own merchant's: NotFound for a user who has
none. audit.py holds the read side's audit."""

from datetime import datetime

from django.db.models import Q, Sum

from contexts.merchant_account.contracts import (
    AccountView,
    EntryView,
    PlatformMoney,
    SettlementOrderView,
    SettlementView,
)
from contexts.merchant_account.models import (
    LedgerEntry,
    MerchantAccount,
    MerchantStore,
    OrderRevenue,
    Settlement,
)
from contexts.merchant_account.models import Merchant as MerchantRow
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.text import N_

ORDERS = "orders"

ACCOUNT_FIELDS = ("merchant_id", "pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")


def account_of_user(user_id: str) -> AccountView:
    """The balances of the user's merchant; NotFound when the user has never created a store."""
    row = MerchantAccount.objects.filter(merchant__user_id=str(user_id)).values(*ACCOUNT_FIELDS).first()
    if row is None:
        raise NotFound(N_("You have no merchant account."))
    return AccountView(**row)


def merchant_of_user(user_id: str) -> str | None:
    return MerchantRow.objects.filter(user_id=str(user_id)).values_list("id", flat=True).first()


def merchant_of_store(store_id: str) -> str | None:
    """The merchant a store's revenue belongs to; None for an unknown store (or one whose
    StoreCreated has not been handled yet)."""
    return MerchantStore.objects.filter(store_id=str(store_id)).values_list("merchant_id", flat=True).first()


def stores_of_merchant(merchant_id: str) -> list[str]:
    """The merchant's store ids, oldest first."""
    rows = MerchantStore.objects.filter(merchant_id=str(merchant_id)).order_by("added_at", "id")
    return list(rows.values_list("store_id", flat=True))


def _merchant_id(user_id: str) -> str:
    merchant_id = merchant_of_user(user_id)
    if merchant_id is None:
        raise NotFound(N_("You have no merchant account."))
    return merchant_id


ENTRY_COLUMNS = ("id", "kind", "balance", "amount_fen", "order_no", "settlement_id", "created_at")


def _entry(row: dict) -> EntryView:
    return EntryView(**{**row, "id": str(row["id"])})


def entries_of_user(*, user_id: str, kind: str | None = None, balance: str | None = None) -> ContractPage:
    """The merchant's ledger, newest first; the filters come checked by the caller."""
    rows = LedgerEntry.objects.filter(merchant_id=_merchant_id(user_id))
    if kind:
        rows = rows.filter(kind=kind)
    if balance:
        rows = rows.filter(balance=balance)
    return ContractPage.each(rows.order_by("-created_at", "-id").values(*ENTRY_COLUMNS), _entry)


SETTLEMENT_COLUMNS = (
    "id",
    "kind",
    "period_start",
    "period_end",
    "order_count",
    "gross_fen",
    "fee_fen",
    "commission_fen",
    "net_fen",
    "created_at",
)


def settlements_of_user(*, user_id: str) -> ContractPage:
    rows = Settlement.objects.filter(merchant_id=_merchant_id(user_id)).order_by("-created_at", "-id")
    return ContractPage.each(rows.values(*SETTLEMENT_COLUMNS), lambda row: SettlementView(**row))


def settlement_of_user(*, user_id: str, settlement_id: str) -> SettlementView:
    """Its own merchant's settlement; NotFound for anyone else's (or none)."""
    row = (
        Settlement.objects.filter(pk=str(settlement_id), merchant__user_id=str(user_id))
        .values(*SETTLEMENT_COLUMNS)
        .first()
    )
    if row is None:
        raise NotFound(N_("No such settlement."))
    return SettlementView(**row)


ORDER_COLUMNS = ("order_no", "store_id", "completed_at", "total_fen", "fee_fen", "commission_fen")


def settlement_orders(*, settlement: SettlementView) -> ContractPage:
    """The orders a settlement settled, newest first: total - fee - commission = net. For a
    commissions settlement, the orders whose commission it paid: fee 0, net = commission."""
    if settlement.kind == ORDERS:
        rows = OrderRevenue.objects.filter(settlement_id=settlement.id)

        def view(row: dict) -> SettlementOrderView:
            net = row["total_fen"] - row["fee_fen"] - row["commission_fen"]
            return SettlementOrderView(**row, net_fen=net)
    else:
        rows = OrderRevenue.objects.filter(commission_settlement_id=settlement.id)

        def view(row: dict) -> SettlementOrderView:
            return SettlementOrderView(**{**row, "fee_fen": 0}, net_fen=row["commission_fen"])

    return ContractPage.each(rows.order_by("-completed_at", "-order_id").values(*ORDER_COLUMNS), view)


def platform_money(*, period_since: datetime, today_since: datetime, until: datetime) -> PlatformMoney:
    """What waits for settlement now, and the platform fee withheld by settlements in the period
    and today (the fee entries debit the merchants, so the platform earned their opposite). Two
    queries: the cached balances (reconciled by audit_money) and the fee entries."""
    pending = MerchantAccount.objects.aggregate(total=Sum("pending_fen", default=0))["total"]
    in_period = Q(created_at__gte=period_since, created_at__lt=until)
    fees = LedgerEntry.objects.filter(in_period, kind="platform_fee").aggregate(
        period=Sum("amount_fen", default=0),
        today=Sum("amount_fen", default=0, filter=Q(created_at__gte=today_since)),
    )
    return PlatformMoney(pending_fen=pending, fee_today_fen=-fees["today"], fee_period_fen=-fees["period"])
