from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderingConfig(AppConfig):
    name = "contexts.ordering"
    label = "ordering"
    verbose_name = _("Orders and payments")

    def ready(self) -> None:
        from contexts.ordering import subscribers  # noqa: F401
        from contexts.shared import schedules

        schedules.register(
            "ordering.expire_unpaid_orders", "contexts.ordering.tasks.expire_unpaid_orders", minutes=1
        )
        schedules.register(
            "ordering.complete_overdue_orders", "contexts.ordering.tasks.complete_overdue_orders", minutes=10
        )
