from django.apps import AppConfig


class OrderingConfig(AppConfig):
    name = "contexts.ordering"
    label = "ordering"
    verbose_name = "Ordering (carts, orders, payments)"

    def ready(self) -> None:
        from contexts.ordering import subscribers  # noqa: F401
        from contexts.shared import schedules

        schedules.register(
            "ordering.expire_unpaid_orders", "contexts.ordering.tasks.expire_unpaid_orders", minutes=1
        )
        schedules.register(
            "ordering.complete_overdue_orders", "contexts.ordering.tasks.complete_overdue_orders", minutes=10
        )
