"""Ordering use cases: one keyword-only function each. Framework-free: the ports come in as
arguments (bootstrap.py hands in the Django adapters, tests hand in fakes)."""

from contexts.ordering.services.carts import (
    add_cart_line,
    add_goods_to_cart,
    change_cart_line,
    remove_cart_line,
)
from contexts.ordering.services.fulfilment import (
    complete_overdue_orders,
    confirm_receipt,
    refund_order,
    remind_customer,
    verify_pickup,
)
from contexts.ordering.services.orders import (
    cancel_order,
    order_by_idempotency_key,
    place_goods_order,
    place_order,
)
from contexts.ordering.services.payments import (
    expire_unpaid_orders,
    handle_payment_notification,
    pay_order,
    simulate_payment_success,
)

__all__ = [
    "add_cart_line",
    "add_goods_to_cart",
    "cancel_order",
    "change_cart_line",
    "complete_overdue_orders",
    "confirm_receipt",
    "expire_unpaid_orders",
    "handle_payment_notification",
    "order_by_idempotency_key",
    "pay_order",
    "place_goods_order",
    "place_order",
    "refund_order",
    "remind_customer",
    "remove_cart_line",
    "simulate_payment_success",
    "verify_pickup",
]
