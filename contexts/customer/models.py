"""Thin models of customer. The database keeps one customer per (store, user), one record
per order, and counters that are never negative."""

from django.db import models
from django.utils.translation import gettext_lazy as _

STATE_CHOICES = [("counted", _("counted")), ("refunded", _("refunded"))]


class StoreCustomer(models.Model):
    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    store_id = models.CharField(_("store"), max_length=36)
    user_id = models.CharField(_("user"), max_length=36, help_text=_("The buyer."))
    # Copies, so that searching a store's customers is one query without identity or ordering.
    nickname = models.CharField(
        _("nickname"), max_length=64, blank=True, default="", help_text=_("From the user, at the last order.")
    )
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, default="", help_text=_("The contact phone of the last order.")
    )
    order_count = models.IntegerField(_("order count"), default=0)
    total_spent_fen = models.BigIntegerField(_("total spent"), default=0)
    first_order_at = models.DateTimeField(_("first order at"), null=True, blank=True)
    last_order_at = models.DateTimeField(_("last order at"), null=True, blank=True)
    remark = models.CharField(_("remark"), max_length=200, blank=True, default="")
    tags = models.JSONField(_("tags"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("store customer")
        verbose_name_plural = _("store customers")
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
        return self.nickname or self.user_id[:8]


class CustomerOrder(models.Model):
    """An order this context has seen; its unique order id keeps any order from counting twice."""

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    store_customer = models.ForeignKey(
        StoreCustomer,
        verbose_name=_("store customer"),
        on_delete=models.PROTECT,
        related_name="orders",
        null=True,
        blank=True,
        help_text=_("Empty for an order refunded before its payment was seen."),
    )
    order_id = models.CharField(_("order"), max_length=36, unique=True)
    total_fen = models.BigIntegerField(_("total"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATE_CHOICES)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer order")
        verbose_name_plural = _("customer orders")
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
        return f"{self.order_id[:8]} ({self.get_state_display()})"
