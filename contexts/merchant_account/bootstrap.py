"""merchant_account's use cases with their adapters bound by parameter name; tasks, commands and
the admin call these."""

from django.conf import settings

from contexts.merchant_account import services
from contexts.merchant_account.adapters.orm import DjangoMerchantUow
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind

globals().update(
    bind(services, uow=DjangoMerchantUow, clock=DjangoClock, fee_bps=lambda: settings.PLATFORM_FEE_BPS)
)
