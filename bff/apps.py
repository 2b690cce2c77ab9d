from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BffConfig(AppConfig):
    name = "bff"
    verbose_name = _("Mini-program API and back office")

    def ready(self) -> None:
        from bff import schema  # noqa: F401  (registers the bearer scheme with drf-spectacular)
        from bff.backoffice import operators

        post_migrate.connect(operators.install_group, dispatch_uid="operators.install_group")
