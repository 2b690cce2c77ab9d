from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Solitaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    id = models.CharField(_("ID"), primary_key=True, max_length=36, editable=False)
    store_id = models.CharField(_("store"), max_length=36, db_index=True)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_at = models.DateTimeField(_("starts at"))
    end_at = models.DateTimeField(_("ends at"))
    # Ids of the store's pickup points (store context), in the merchant's order.
    pickup_point_ids = models.JSONField(_("pickup points"), default=list)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("solitaire")
        verbose_name_plural = _("solitaires")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["store_id", "status", "-created_at"], name="solitaire_store_status")]
        constraints = [
            models.CheckConstraint(condition=Q(end_at__gt=F("start_at")), name="solitaire_window_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed"]), name="solitaire_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SolitaireItem(models.Model):
    """A goods snapshot with stock. `sold` moves only through conditional UPDATEs; the
    CheckConstraint sold <= stock is the backstop that keeps `remaining` from going negative."""

    id = models.CharField(_("ID"), primary_key=True, max_length=36, editable=False)
    solitaire = models.ForeignKey(
        Solitaire, verbose_name=_("solitaire"), on_delete=models.CASCADE, related_name="items"
    )
    goods_id = models.CharField(_("goods"), max_length=36)
    name = models.CharField(_("name"), max_length=200)
    image_url = models.CharField(_("image URL"), max_length=500, blank=True)
    base_price_fen = models.PositiveIntegerField(_("goods price"))
    price_fen = models.PositiveIntegerField(_("solitaire price"))
    stock = models.PositiveIntegerField(_("stock"))
    sold = models.PositiveIntegerField(_("sold"), default=0)
    per_customer_limit = models.PositiveIntegerField(_("limit per customer"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("solitaire item")
        verbose_name_plural = _("solitaire items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solitaire", "goods_id"], name="solitaire_item_goods_once"),
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="solitaire_item_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="solitaire_item_stock_nonnegative"),
            models.CheckConstraint(condition=Q(sold__gte=0), name="solitaire_item_sold_nonnegative"),
            models.CheckConstraint(
                condition=Q(sold__lte=F("stock")), name="solitaire_item_sold_within_stock"
            ),
            models.CheckConstraint(
                condition=Q(per_customer_limit__isnull=True) | Q(per_customer_limit__gte=1),
                name="solitaire_item_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sold}/{self.stock})"


class Participation(models.Model):
    """A paid order in a solitaire, shown on its page by sequence number (接龙序号)."""

    id = models.CharField(_("ID"), primary_key=True, max_length=36, editable=False)
    solitaire = models.ForeignKey(
        Solitaire, verbose_name=_("solitaire"), on_delete=models.CASCADE, related_name="participations"
    )
    order_id = models.CharField(_("order"), max_length=36, unique=True)
    customer_id = models.CharField(_("customer"), max_length=36, db_index=True)
    sequence_no = models.PositiveIntegerField(_("sequence number"))
    items = models.JSONField(_("items"), default=list)  # [{name, quantity}]
    joined_at = models.DateTimeField(_("joined at"))
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["solitaire", "sequence_no"]
        indexes = [models.Index(fields=["solitaire", "sequence_no"], name="participation_by_sequence")]

    def __str__(self) -> str:
        return f"#{self.sequence_no} · {self.solitaire}"


class StockRelease(models.Model):
    """The mark that an order's reserved stock went back: one per order, whatever events come."""

    order_id = models.CharField(_("order"), primary_key=True, max_length=36)
    solitaire_id = models.CharField(_("solitaire"), max_length=36, db_index=True)
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=[("cancelled", _("cancelled")), ("expired", _("expired")), ("refunded", _("refunded"))],
    )
    released_at = models.DateTimeField(_("released at"))

    class Meta:
        verbose_name = _("stock release")
        verbose_name_plural = _("stock releases")
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"{self.order_id[:8]} ({self.get_reason_display()})"
