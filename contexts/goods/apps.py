from django.apps import AppConfig


class GoodsConfig(AppConfig):
    name = "contexts.goods"
    label = "goods"
    verbose_name = "Goods (goods, categories, hot words)"

    def ready(self) -> None:
        from contexts.goods import bootstrap, subscribers  # noqa: F401

        # Other contexts (ordering, solitaire) call the stock and snapshot services without
        # building goods' adapters themselves: they get the ones chosen here.
        bootstrap.wire_services()
