from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.affiliate.tasks.on_store_created")
