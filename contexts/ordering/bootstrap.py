"""Ordering's use cases with their adapters bound by parameter name; the bff, tasks, the admin
and other contexts' client adapters call these."""

from django.conf import settings

from contexts.ordering.adapters.clients import GoodsServicesCatalog, IntegrationPaymentGateway
from contexts.ordering.adapters.orm import DjangoOrderingUow
from contexts.ordering.services import carts, fulfilment, orders, payments
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_access, store_directory, user_directory

globals().update(
    bind(
        orders,
        payments,
        carts,
        fulfilment,
        uow=DjangoOrderingUow,
        clock=DjangoClock,
        goods=GoodsServicesCatalog,
        gateway=IntegrationPaymentGateway,
        access=store_access,
        stores=store_directory,
        users=user_directory,
        payment_timeout_seconds=lambda: settings.ORDER_PAYMENT_TIMEOUT_SECONDS,
        auto_complete_days=lambda: settings.ORDER_AUTO_COMPLETE_DAYS,
    )
)
