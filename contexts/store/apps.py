from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "contexts.store"
    label = "store"
    verbose_name = "Stores and pickup points"

    def ready(self) -> None:
        from contexts.shared.bootstrap import provide
        from contexts.shared.domain.ports import StoreDirectory
        from contexts.store.adapters.directory import StoreQueriesDirectory

        provide(StoreDirectory, StoreQueriesDirectory())
        from contexts.store import subscribers  # noqa: F401  (connects the event handlers)
