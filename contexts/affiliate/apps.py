from django.apps import AppConfig


class AffiliateConfig(AppConfig):
    name = "contexts.affiliate"
    label = "affiliate"
    verbose_name = "Franchise and affiliates"

    def ready(self) -> None:
        from contexts.affiliate import subscribers  # noqa: F401
