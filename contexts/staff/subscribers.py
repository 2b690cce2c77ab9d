"""Staff reacts to StoreCreated: the creator becomes the store's owner."""

from contexts.shared import eventbus

# In the transaction: the creator is the owner the moment POST /stores answers (DESIGN.md,
# "Domain events" 6); the store context still never imports staff.
eventbus.subscribe("StoreCreated", "contexts.staff.tasks.make_creator_owner", in_transaction=True)
