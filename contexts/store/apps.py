from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "contexts.store"
    label = "store"
    verbose_name = "Stores and pickup points"

    def ready(self) -> None:
        from contexts.store import subscribers  # noqa: F401  (connects the event handlers)
