"""Thin tables of goods; the database keeps money, stock and sales sane on its own."""

from django.db import models


class Category(models.Model):
    id = models.CharField(primary_key=True, max_length=36)
    store_id = models.CharField(max_length=36, db_index=True)
    name = models.CharField(max_length=30)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["store_id", "sort", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["store_id", "name"], name="goods_category_name_per_store")
        ]

    def __str__(self) -> str:
        return self.name


class HotWord(models.Model):
    store_id = models.CharField(max_length=36, db_index=True)
    word = models.CharField(max_length=30)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["store_id", "sort", "word"]
        constraints = [models.UniqueConstraint(fields=["store_id", "word"], name="goods_hot_word_per_store")]

    def __str__(self) -> str:
        return self.word


class Goods(models.Model):
    class Status(models.TextChoices):
        ON_SALE = "on_sale", "on sale"
        OFF_SHELF = "off_shelf", "off shelf"

    id = models.CharField(primary_key=True, max_length=36)
    store_id = models.CharField(max_length=36)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    image_urls = models.JSONField(default=list, blank=True)
    price_fen = models.IntegerField()
    stock = models.IntegerField(default=0)
    sales = models.IntegerField(default=0)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="goods"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_SALE)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name_plural = "goods"
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
