"""The creator's merchant and account exist the moment POST /stores answers (in its
transaction): the merchant's next request may be GET /merchant/account."""

from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.merchant_account.tasks.on_store_created", in_transaction=True)
