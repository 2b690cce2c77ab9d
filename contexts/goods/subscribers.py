from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.goods.tasks.on_store_created")
eventbus.subscribe("OrderPaid", "contexts.goods.tasks.on_order_paid")
eventbus.subscribe("OrderCancelled", "contexts.goods.tasks.on_order_released")
eventbus.subscribe("OrderExpired", "contexts.goods.tasks.on_order_released")
eventbus.subscribe("OrderRefunded", "contexts.goods.tasks.on_order_refunded")
