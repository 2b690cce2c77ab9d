"""Solitaire reacts to ordering's events: a paid order becomes a participation (soon after); a
cancelled, expired or refunded order gives its reserved stock back at once, in the order's own
transaction, because the customer's very next click (joining again) needs that stock."""

from contexts.shared import eventbus

TASKS = "contexts.solitaire.tasks"

eventbus.subscribe("OrderPaid", f"{TASKS}.on_order_paid", batch=f"{TASKS}.on_orders_paid")
eventbus.subscribe("OrderCancelled", f"{TASKS}.on_order_cancelled", in_transaction=True)
eventbus.subscribe("OrderExpired", f"{TASKS}.on_order_expired", in_transaction=True)
eventbus.subscribe("OrderRefunded", f"{TASKS}.on_order_refunded", in_transaction=True)
