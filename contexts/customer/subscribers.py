from contexts.shared import eventbus

eventbus.subscribe(
    "OrderPaid", "contexts.customer.tasks.on_order_paid", batch="contexts.customer.tasks.on_orders_paid"
)
eventbus.subscribe("OrderRefunded", "contexts.customer.tasks.on_order_refunded")
