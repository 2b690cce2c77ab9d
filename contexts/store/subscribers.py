"""Store reacts to its own StoreCreated: the platform default door image, soon after."""

from contexts.shared import eventbus

eventbus.subscribe("StoreCreated", "contexts.store.tasks.apply_default_door_image")
