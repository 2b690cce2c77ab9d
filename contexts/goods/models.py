"""Thin tables of goods; the database keeps money, stock and sales sane on its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    id = models.CharField(_("ID"), primary_key=True, max_length=36)
    store_id = models.CharField(_("store"), max_length=36, db_index=True)
    name = models.CharField(_("name"), max_length=30)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["store_id", "sort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["store_id", "name"], name="goods_category_name_per_store")
        ]

    def __str__(self) -> str:
        return self.name


class HotWord(models.Model):
    store_id = models.CharField(_("store"), max_length=36, db_index=True)
    word = models.CharField(_("word"), max_length=30)
    sort = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("hot word")
        verbose_name_plural = _("hot words")
        ordering = ["store_id", "sort", "word"]
        constraints = [models.UniqueConstraint(fields=["store_id", "word"], name="goods_hot_word_per_store")]

    def __str__(self) -> str:
        return self.word


class Goods(models.Model):
    class Status(models.TextChoices):
        ON_SALE = "on_sale", _("on sale")
        OFF_SHELF = "off_shelf", _("off shelf")

    id = models.CharField(_("ID"), primary_key=True, max_length=36)
    store_id = models.CharField(_("store"), max_length=36)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True, default="")
    image_urls = models.JSONField(_("image URLs"), default=list, blank=True)
    price_fen = models.IntegerField(_("price"))
    stock = models.IntegerField(_("stock"), default=0)
    sales = models.IntegerField(_("sales"), default=0)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goods",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ON_SALE)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_fen__gt=0), name="goods_price_positive"),
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="goods_stock_not_negative"),
            models.CheckConstraint(condition=models.Q(sales__gte=0), name="goods_sales_not_negative"),
            models.CheckConstraint(
                condition=models.Q(status__in=["on_sale", "off_shelf"]), name="goods_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["store_id", "status", "-created_at"], name="goods_store_status_created"),
        ]

    def __str__(self) -> str:
        return self.name
