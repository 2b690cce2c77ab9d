"""Repositories and mappers model <-> domain, and the merchant_account unit of work."""

from contexts.merchant_account import models
from contexts.merchant_account.adapters.settlement import DjangoSettlementLedger
from contexts.merchant_account.domain.cycles import Cycle
from contexts.merchant_account.domain.ledger import LedgerEntry, OrderRevenue
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import (
    AccountRepository,
    MerchantRepository,
    MerchantUnitOfWork,
    RevenueRepository,
)
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.values import Money


def merchant_to_domain(row: models.Merchant) -> Merchant:
    store_ids = list(row.stores.order_by("added_at", "id").values_list("store_id", flat=True))
    return Merchant(id=str(row.pk), user_id=str(row.user_id), created_at=row.created_at, store_ids=store_ids)


def account_to_domain(row: models.MerchantAccount) -> MerchantAccount:
    return MerchantAccount(
        id=str(row.pk),
        merchant_id=str(row.merchant_id),
        pending=Money(row.pending_fen),
        available=Money(row.available_fen),
        settled_total=Money(row.settled_total_fen),
        commission_total=Money(row.commission_total_fen),
    )


class DjangoMerchantRepository(MerchantRepository):
    def by_user(self, user_id: str) -> Merchant | None:
        # Locked so two stores of one user created at once share one merchant.
        row = models.Merchant.objects.select_for_update().filter(user_id=str(user_id)).first()
        return merchant_to_domain(row) if row else None

    def by_store(self, store_id: str) -> Merchant | None:
        row = models.Merchant.objects.filter(stores__store_id=str(store_id)).first()
        return merchant_to_domain(row) if row else None

    def id_of_store(self, store_id: str) -> str | None:
        return (
            models.MerchantStore.objects.filter(store_id=str(store_id))
            .values_list("merchant_id", flat=True)
            .first()
        )

    def add(self, merchant: Merchant) -> None:
        models.Merchant.objects.create(
            id=merchant.id, user_id=merchant.user_id, created_at=merchant.created_at
        )
        self.save(merchant)

    def save(self, merchant: Merchant) -> None:
        known = set(
            models.MerchantStore.objects.filter(merchant_id=merchant.id).values_list("store_id", flat=True)
        )
        models.MerchantStore.objects.bulk_create(
            [
                models.MerchantStore(merchant_id=merchant.id, store_id=store_id)
                for store_id in merchant.store_ids
                if store_id not in known
            ]
        )


class DjangoAccountRepository(AccountRepository):
    def by_merchant(self, merchant_id: str) -> MerchantAccount | None:
        row = models.MerchantAccount.objects.select_for_update().filter(merchant_id=merchant_id).first()
        return account_to_domain(row) if row else None

    def add(self, account: MerchantAccount) -> None:
        models.MerchantAccount.objects.create(
            id=account.id,
            merchant_id=account.merchant_id,
            pending_fen=account.pending.fen,
            available_fen=account.available.fen,
            settled_total_fen=account.settled_total.fen,
            commission_total_fen=account.commission_total.fen,
        )

    def save(self, account: MerchantAccount) -> None:
        # The row is locked since by_merchant: the balances written are the ones computed.
        models.MerchantAccount.objects.filter(pk=account.id).update(
            pending_fen=account.pending.fen,
            available_fen=account.available.fen,
            settled_total_fen=account.settled_total.fen,
            commission_total_fen=account.commission_total.fen,
        )
        models.LedgerEntry.objects.bulk_create([entry_row(entry) for entry in account.new_entries])
        account.new_entries.clear()


def entry_row(entry: LedgerEntry) -> models.LedgerEntry:
    return models.LedgerEntry(
        merchant_id=entry.merchant_id,
        kind=entry.kind,
        balance=entry.balance,
        amount_fen=entry.amount.fen,
        order_id=entry.order_id,
        order_no=entry.order_no,
        store_id=entry.store_id,
        settlement_id=entry.settlement_id,
        created_at=entry.created_at,
    )


def revenue_to_domain(row: models.OrderRevenue) -> OrderRevenue:
    cycle = None
    if row.commission_cycle_start is not None:
        cycle = Cycle(start=row.commission_cycle_start, end=row.commission_cycle_end)
    return OrderRevenue(
        id=row.order_id,
        order_no=row.order_no,
        store_id=row.store_id,
        merchant_id=row.merchant_id,
        total=Money(row.total_fen),
        completed_at=row.completed_at,
        resale_id=row.resale_id,
        affiliate_merchant_id=row.affiliate_merchant_id,
        commission=Money(row.commission_fen),
        commission_cycle=cycle,
        fee=None if row.fee_fen is None else Money(row.fee_fen),
        settlement_id=row.settlement_id,
        commission_settlement_id=row.commission_settlement_id,
        reversed_at=row.reversed_at,
        credited_at=row.credited_at,
    )


class DjangoRevenueRepository(RevenueRepository):
    def get(self, order_id: str, *, lock: bool = False) -> OrderRevenue | None:
        rows = models.OrderRevenue.objects.filter(pk=str(order_id))
        row = (rows.select_for_update() if lock else rows).first()
        return revenue_to_domain(row) if row else None

    def add(self, revenue: OrderRevenue) -> bool:
        """False when the order is credited already (a twin delivery): the insert skips it, so
        no read before and no savepoint around it."""
        cycle = revenue.commission_cycle
        row = {
            "order_id": revenue.id,
            "order_no": revenue.order_no,
            "store_id": revenue.store_id,
            "merchant_id": revenue.merchant_id,
            "total_fen": revenue.total.fen,
            "completed_at": revenue.completed_at,
            "resale_id": revenue.resale_id,
            "affiliate_merchant_id": revenue.affiliate_merchant_id,
            "commission_fen": revenue.commission.fen,
            "commission_cycle_start": cycle.start if cycle else None,
            "commission_cycle_end": cycle.end if cycle else None,
            "credited_at": revenue.credited_at,
        }
        return bool(sql.insert(models.OrderRevenue, [row], on_conflict_do_nothing="order_id"))

    def save(self, revenue: OrderRevenue) -> None:
        models.OrderRevenue.objects.filter(pk=revenue.id).update(reversed_at=revenue.reversed_at)


class DjangoMerchantUow(DjangoUnitOfWork, MerchantUnitOfWork):
    def __init__(self) -> None:
        self.merchants = DjangoMerchantRepository()
        self.accounts = DjangoAccountRepository()
        self.revenue = DjangoRevenueRepository()
        self.settlements = DjangoSettlementLedger()
