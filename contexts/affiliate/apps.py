from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffiliateConfig(AppConfig):
    name = "contexts.affiliate"
    label = "affiliate"
    verbose_name = _("Franchise and affiliates")

    def ready(self) -> None:
        from contexts.affiliate import subscribers  # noqa: F401
