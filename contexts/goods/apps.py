from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "contexts.goods"
    label = "goods"
    verbose_name = _("Goods")

    def ready(self) -> None:
        from contexts.goods import subscribers  # noqa: F401
