"""Repositories and mappers model <-> domain, and the merchant_account unit of work."""

from contexts.merchant_account import models
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import AccountRepository, MerchantRepository, MerchantUnitOfWork
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


class DjangoMerchantUow(DjangoUnitOfWork, MerchantUnitOfWork):
    def __init__(self) -> None:
        self.merchants = DjangoMerchantRepository()
        self.accounts = DjangoAccountRepository()
