from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.merchant_account.tasks.on_store_created")
