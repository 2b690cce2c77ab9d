"""Solitaire reacts to ordering's events: a paid order becomes a participation; a cancelled,
expired or refunded order gives its reserved stock back."""

from contexts.shared import eventbus

TASKS = "contexts.solitaire.tasks"

eventbus.subscribe("OrderPaid", f"{TASKS}.on_order_paid")
eventbus.subscribe("OrderCancelled", f"{TASKS}.on_order_cancelled")
eventbus.subscribe("OrderExpired", f"{TASKS}.on_order_expired")
eventbus.subscribe("OrderRefunded", f"{TASKS}.on_order_refunded")
