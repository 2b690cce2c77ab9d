"""Goods reacts to stores and orders. Stock of an order outside a solitaire comes back in the
order's own transaction (cancelled, expired, refunded): the customer's very next click may buy
it again. Default categories and sales counts follow soon after, through the queue."""

from contexts.shared import eventbus

TASKS = "contexts.goods.tasks"

eventbus.subscribe("StoreCreated", f"{TASKS}.on_store_created")
eventbus.subscribe("OrderPaid", f"{TASKS}.on_order_paid", batch=f"{TASKS}.on_orders_paid")
eventbus.subscribe("OrderRefunded", f"{TASKS}.on_order_refunded")
for released in ("OrderCancelled", "OrderExpired", "OrderRefunded"):
    eventbus.subscribe(released, f"{TASKS}.on_order_released", in_transaction=True)
