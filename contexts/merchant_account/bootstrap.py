"""The one place building merchant_account's concrete adapters; tasks and the bff call these."""

from contexts.merchant_account import contracts, services
from contexts.merchant_account.adapters.orm import DjangoClock, DjangoMerchantUow


def open_merchant_for_store(**kw) -> contracts.MerchantOpened:
    return services.open_merchant_for_store(uow=DjangoMerchantUow(), clock=DjangoClock(), **kw)
