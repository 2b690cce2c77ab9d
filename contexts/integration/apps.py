from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "contexts.integration"
    label = "integration"
    verbose_name = "Platform integration (WeChat, SMS, payments)"

    def ready(self) -> None:
        from contexts.integration import bootstrap, services

        services.install(bootstrap.DjangoAdapters())
