from contexts.shared import eventbus

eventbus.subscribe(
    "OrderPaid",
    "contexts.notification.tasks.on_order_paid",
    batch="contexts.notification.tasks.on_orders_paid",
)
eventbus.subscribe("OrderCompleted", "contexts.notification.tasks.on_order_completed")
eventbus.subscribe("OrderRefunded", "contexts.notification.tasks.on_order_refunded")
eventbus.subscribe("OrderReminderRequested", "contexts.notification.tasks.on_order_reminder_requested")
eventbus.subscribe("SettlementCompleted", "contexts.notification.tasks.on_settlement_completed")
