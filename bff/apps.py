from django.apps import AppConfig


class BffConfig(AppConfig):
    name = "bff"
    verbose_name = "Mini-program API"

    def ready(self) -> None:
        from bff import schema  # noqa: F401  (registers the bearer scheme with drf-spectacular)
