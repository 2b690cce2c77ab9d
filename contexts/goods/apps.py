from django.apps import AppConfig


class GoodsConfig(AppConfig):
    name = "contexts.goods"
    label = "goods"
    verbose_name = "Goods (goods, categories, hot words)"

    def ready(self) -> None:
        from contexts.goods import subscribers  # noqa: F401
