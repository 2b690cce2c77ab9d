from django.db import models
from django.db.models import F, Q


class Solitaire(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        CLOSED = "closed"

    id = models.CharField(primary_key=True, max_length=36, editable=False)
    store_id = models.CharField(max_length=36, db_index=True)
    title = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField()
    # Ids of the store's pickup points (store context), in the merchant's order.
    pickup_point_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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

    id = models.CharField(primary_key=True, max_length=36, editable=False)
    solitaire = models.ForeignKey(Solitaire, on_delete=models.CASCADE, related_name="items")
    goods_id = models.CharField(max_length=36)
    name = models.CharField(max_length=200)
    image_url = models.CharField(max_length=500, blank=True)
    base_price_fen = models.PositiveIntegerField()
    price_fen = models.PositiveIntegerField()
    stock = models.PositiveIntegerField()
    sold = models.PositiveIntegerField(default=0)
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
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

    id = models.CharField(primary_key=True, max_length=36, editable=False)
    solitaire = models.ForeignKey(Solitaire, on_delete=models.CASCADE, related_name="participations")
    order_id = models.CharField(max_length=36, unique=True)
    customer_id = models.CharField(max_length=36, db_index=True)
    sequence_no = models.PositiveIntegerField()
    items = models.JSONField(default=list)  # [{name, quantity}]
    joined_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["solitaire", "sequence_no"]
        indexes = [models.Index(fields=["solitaire", "sequence_no"], name="participation_by_sequence")]

    def __str__(self) -> str:
        return f"#{self.sequence_no} {self.order_id}"


class StockRelease(models.Model):
    """The mark that an order's reserved stock went back: one per order, whatever events come."""

    order_id = models.CharField(primary_key=True, max_length=36)
    solitaire_id = models.CharField(max_length=36, db_index=True)
    reason = models.CharField(max_length=20)
    released_at = models.DateTimeField()

    class Meta:
        ordering = ["-released_at"]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.reason})"
