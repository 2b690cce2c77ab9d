"""A store's default franchise policy exists the moment POST /stores answers (in its
transaction): the owner's next request may be GET or PUT /stores/{id}/franchise."""

from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.affiliate.tasks.on_store_created", in_transaction=True)
