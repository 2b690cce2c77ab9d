from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "contexts.staff"
    label = "staff"
    verbose_name = _("Store staff")

    def ready(self) -> None:
        from contexts.shared.bootstrap import provide
        from contexts.shared.domain.ports import StoreAccess
        from contexts.staff.adapters.access import StaffAccess

        provide(StoreAccess, StaffAccess())
        from contexts.staff import subscribers  # noqa: F401  (connects the event handlers)
