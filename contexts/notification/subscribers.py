from contexts.shared import eventbus

# Every message goes to WeChat (or an SMS provider): calls_out, so a slow answer holds no row the
# other handlers of the event write.
eventbus.subscribe(
    "OrderPaid",
    "contexts.notification.tasks.on_order_paid",
    batch="contexts.notification.tasks.on_orders_paid",
    calls_out=True,
)
eventbus.subscribe(
    "OrderCompleted",
    "contexts.notification.tasks.on_order_completed",
    batch="contexts.notification.tasks.on_orders_completed",
    calls_out=True,
)
eventbus.subscribe("OrderRefunded", "contexts.notification.tasks.on_order_refunded", calls_out=True)
eventbus.subscribe(
    "OrderReminderRequested", "contexts.notification.tasks.on_order_reminder_requested", calls_out=True
)
eventbus.subscribe(
    "SettlementCompleted", "contexts.notification.tasks.on_settlement_completed", calls_out=True
)
