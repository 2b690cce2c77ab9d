"""merchant_account's use cases with their adapters bound by parameter name; tasks call these."""

from contexts.merchant_account import services
from contexts.merchant_account.adapters.orm import DjangoMerchantUow
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind

globals().update(bind(services, uow=DjangoMerchantUow, clock=DjangoClock))
