"""The creator's merchant and account exist the moment POST /stores answers (in its
transaction): the merchant's next request may be GET /merchant/account. Revenue follows the
order events after commit, through the queue: reliably (a failing handler is retried and then
shown to operators), never inside ordering's transaction."""

from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.merchant_account.tasks.on_store_created", in_transaction=True)
eventbus.subscribe("OrderCompleted", "contexts.merchant_account.tasks.on_order_completed")
eventbus.subscribe("OrderRefunded", "contexts.merchant_account.tasks.on_order_refunded")
