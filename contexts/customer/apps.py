from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomerConfig(AppConfig):
    name = "contexts.customer"
    label = "customer"
    verbose_name = _("Store customers")

    def ready(self) -> None:
        from contexts.customer import subscribers  # noqa: F401
