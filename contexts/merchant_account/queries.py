"""Read side of merchant_account: ORM -> contracts, one query each."""

from contexts.merchant_account.contracts import AccountView
from contexts.merchant_account.models import Merchant as MerchantRow
from contexts.merchant_account.models import MerchantAccount, MerchantStore
from contexts.shared.domain.errors import NotFound

ACCOUNT_FIELDS = ("merchant_id", "pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")


def account_of_user(user_id: str) -> AccountView:
    """The balances of the user's merchant; NotFound when the user has never created a store."""
    row = MerchantAccount.objects.filter(merchant__user_id=str(user_id)).values(*ACCOUNT_FIELDS).first()
    if row is None:
        raise NotFound("You have no merchant account.")
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
