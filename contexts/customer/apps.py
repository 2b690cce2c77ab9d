from django.apps import AppConfig


class CustomerConfig(AppConfig):
    name = "contexts.customer"
    label = "customer"
    verbose_name = "Store customers"

    def ready(self) -> None:
        from contexts.customer import subscribers  # noqa: F401
