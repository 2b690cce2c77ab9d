from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoreConfig(AppConfig):
    name = "contexts.store"
    label = "store"
    verbose_name = _("Stores")

    def ready(self) -> None:
        from contexts.shared.bootstrap import provide
        from contexts.shared.domain.ports import StoreDirectory
        from contexts.store.adapters.directory import StoreQueriesDirectory

        provide(StoreDirectory, StoreQueriesDirectory())
        from contexts.store import subscribers  # noqa: F401  (connects the event handlers)
