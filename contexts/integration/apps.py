from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "contexts.integration"
    label = "integration"
    verbose_name = _("Integrations (sandbox)")

    def ready(self) -> None:
        from contexts.integration import bootstrap, services

        services.install(bootstrap.DjangoAdapters())
