"""Thin models of customer. The database keeps one customer per (store, user), one record
per order, and counters that are never negative."""

from django.db import models

STATE_CHOICES = [("counted", "counted"), ("refunded", "refunded")]


class StoreCustomer(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    store_id = models.CharField(max_length=36)
    user_id = models.CharField(max_length=36, help_text="identity user id of the buyer")
    # Copies, so that searching a store's customers is one query without identity or ordering.
    nickname = models.CharField(
        max_length=64, blank=True, default="", help_text="from identity, at the last order"
    )
    phone = models.CharField(
        max_length=20, blank=True, default="", help_text="contact phone of the last order"
    )
    order_count = models.IntegerField(default=0)
    total_spent_fen = models.BigIntegerField(default=0)
    first_order_at = models.DateTimeField(null=True, blank=True)
    last_order_at = models.DateTimeField(null=True, blank=True)
    remark = models.CharField(max_length=200, blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = [models.F("last_order_at").desc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["store_id", "user_id"], name="customer_one_per_store_user"),
            models.CheckConstraint(
                condition=models.Q(order_count__gte=0), name="customer_order_count_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(total_spent_fen__gte=0), name="customer_total_spent_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["store_id", "-last_order_at"], name="customer_store_last_order")]

    def __str__(self) -> str:
        return f"{self.nickname or self.user_id} @ {self.store_id}"


class CustomerOrder(models.Model):
    """An order this context has seen; its unique order id keeps any order from counting twice."""

    id = models.CharField(max_length=36, primary_key=True)
    store_customer = models.ForeignKey(
        StoreCustomer,
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
        help_text="empty for an order refunded before its payment was seen",
    )
    order_id = models.CharField(max_length=36, unique=True)
    total_fen = models.BigIntegerField()
    paid_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=STATE_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_fen__gte=0), name="customer_order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["counted", "refunded"]), name="customer_order_state_known"
            ),
        ]
        indexes = [models.Index(fields=["store_customer", "state"], name="customer_order_by_state")]

    def __str__(self) -> str:
        return f"order {self.order_id} ({self.state})"
