from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Orders are settled every hour at :05. Commissions are paid daily at 00:20 local time, after
# that night's 00:05 orders run has withheld the commissions of the orders completed just before
# midnight, so a cycle that closed at midnight is paid in full the same night.
SETTLE_ORDERS_AT = time(minute=5)
SETTLE_COMMISSIONS_AT = time(0, 20)


class MerchantAccountConfig(AppConfig):
    name = "contexts.merchant_account"
    label = "merchant_account"
    verbose_name = _("Merchant accounts and settlement")

    def ready(self) -> None:
        from contexts.merchant_account import subscribers  # noqa: F401
        from contexts.shared import schedules

        schedules.register(
            "merchant_account.settle_orders",
            "contexts.merchant_account.tasks.settle_orders",
            every=schedules.HOURLY,
            at=SETTLE_ORDERS_AT,
        )
        schedules.register(
            "merchant_account.settle_commissions",
            "contexts.merchant_account.tasks.settle_commissions",
            every=schedules.DAILY,
            at=SETTLE_COMMISSIONS_AT,
        )
