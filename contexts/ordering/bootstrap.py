"""The one place building ordering's concrete adapters; the bff, tasks and other contexts'
client adapters call these ready-to-use cases (keyword arguments as in services.py)."""

from collections.abc import Callable

from django.conf import settings

from contexts.ordering import contracts, queries, services
from contexts.ordering.adapters.clients import (
    GoodsServicesCatalog,
    IntegrationPaymentGateway,
    StaffQueries,
    StoreQueries,
)
from contexts.ordering.adapters.orm import DjangoClock, DjangoOrderingUow, run_idempotent

clock = DjangoClock()


def _timeout() -> int:
    return settings.ORDER_PAYMENT_TIMEOUT_SECONDS


def idempotent(
    *, customer_id: str, key: str | None, place: Callable[[], contracts.OrderView]
) -> contracts.OrderView:
    """The order `customer_id` already placed under `key`, or place() run in a savepoint (a
    concurrent twin's win rolls our stock reservations back and returns its order)."""
    return run_idempotent(
        customer_id=customer_id, key=key, place=place, find=queries.order_by_idempotency_key
    )


def place_order(**kw) -> contracts.OrderView:
    """customer_id, store_id, solitaire_id, resale_id, lines: list[LineRequest], pickup: Pickup,
    contact: Contact, remark, idempotency_key=None. Runs in the caller's transaction; reserves nothing."""
    return services.place_order(
        uow=DjangoOrderingUow(), clock=clock, payment_timeout_seconds=_timeout(), **kw
    )


def place_goods_order(*, customer_id: str, idempotency_key: str | None = None, **kw) -> contracts.OrderView:
    """customer_id, store_id, lines: [{goods_id, quantity}], pickup, contact, remark, idempotency_key."""

    def place() -> contracts.OrderView:
        return services.place_goods_order(
            uow=DjangoOrderingUow(),
            clock=clock,
            goods=GoodsServicesCatalog(),
            stores=StoreQueries(),
            payment_timeout_seconds=_timeout(),
            customer_id=customer_id,
            idempotency_key=idempotency_key,
            **kw,
        )

    return idempotent(customer_id=customer_id, key=idempotency_key, place=place)


def pay_order(**kw) -> contracts.PaymentView:
    return services.pay_order(uow=DjangoOrderingUow(), clock=clock, gateway=IntegrationPaymentGateway(), **kw)


def handle_payment_notification(**kw) -> str:
    return services.handle_payment_notification(
        uow=DjangoOrderingUow(), clock=clock, gateway=IntegrationPaymentGateway(), **kw
    )


def simulate_payment_success(**kw) -> contracts.OrderView:
    return services.simulate_payment_success(
        uow=DjangoOrderingUow(), clock=clock, gateway=IntegrationPaymentGateway(), **kw
    )


def cancel_order(**kw) -> contracts.OrderView:
    return services.cancel_order(uow=DjangoOrderingUow(), clock=clock, **kw)


def expire_unpaid_orders(**kw) -> int:
    return services.expire_unpaid_orders(uow=DjangoOrderingUow(), clock=clock, **kw)


def verify_pickup(**kw) -> contracts.OrderView:
    """store_id, user_id, pickup_code."""
    return services.verify_pickup(uow=DjangoOrderingUow(), clock=clock, staff=StaffQueries(), **kw)


def confirm_receipt(**kw) -> contracts.OrderView:
    """order_id, customer_id."""
    return services.confirm_receipt(uow=DjangoOrderingUow(), clock=clock, **kw)


def complete_overdue_orders(**kw) -> int:
    return services.complete_overdue_orders(
        uow=DjangoOrderingUow(), clock=clock, auto_complete_days=settings.ORDER_AUTO_COMPLETE_DAYS, **kw
    )


def refund_order(**kw) -> contracts.OrderView:
    """order_id, user_id, reason."""
    return services.refund_order(
        uow=DjangoOrderingUow(), clock=clock, gateway=IntegrationPaymentGateway(), staff=StaffQueries(), **kw
    )


def remind_customer(**kw) -> None:
    """order_id, user_id."""
    return services.remind_customer(uow=DjangoOrderingUow(), clock=clock, staff=StaffQueries(), **kw)


def add_cart_line(**kw) -> contracts.CartLineView:
    """customer_id, store_id, goods_id, solitaire_item_id, name, image_url, price_fen, quantity."""
    return services.add_cart_line(uow=DjangoOrderingUow(), **kw)


def add_goods_to_cart(**kw) -> contracts.CartLineView:
    return services.add_goods_to_cart(uow=DjangoOrderingUow(), goods=GoodsServicesCatalog(), **kw)


def change_cart_line(**kw) -> contracts.CartLineView:
    return services.change_cart_line(uow=DjangoOrderingUow(), **kw)


def remove_cart_line(**kw) -> None:
    return services.remove_cart_line(uow=DjangoOrderingUow(), **kw)
