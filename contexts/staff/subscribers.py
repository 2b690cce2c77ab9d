"""Staff reacts to StoreCreated: the creator becomes the store's owner."""

from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.staff.tasks.make_creator_owner")
