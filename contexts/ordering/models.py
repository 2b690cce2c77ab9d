"""Thin models of ordering; the database keeps the rules no race may break."""

from django.db import models
from django.db.models import F, Q

STATUS_CHOICES = [(s, s) for s in ("pending_payment", "paid", "completed", "cancelled", "refunded")]
ID = 36


class Order(models.Model):
    id = models.CharField(primary_key=True, max_length=ID)
    order_no = models.CharField(max_length=32, unique=True)
    customer_id = models.CharField(max_length=ID)
    store_id = models.CharField(max_length=ID)
    solitaire_id = models.CharField(max_length=ID, null=True, blank=True)
    resale_id = models.CharField(max_length=ID, null=True, blank=True)
    # The resale's terms when the order was placed (what settlement pays, whatever changes later).
    affiliate_store_id = models.CharField(max_length=ID, null=True, blank=True)
    commission_bps = models.PositiveIntegerField(default=0)
    commission_fen = models.BigIntegerField(default=0)
    billing_cycle = models.CharField(max_length=10, null=True, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="pending_payment")
    total_fen = models.BigIntegerField()
    pickup_method = models.CharField(max_length=10, choices=[("pickup", "pickup"), ("delivery", "delivery")])
    pickup_point_id = models.CharField(max_length=ID, null=True, blank=True)
    pickup_address = models.JSONField(null=True, blank=True)
    contact_name = models.CharField(max_length=50)
    contact_phone = models.CharField(max_length=20)
    remark = models.CharField(max_length=200, blank=True)
    sequence_no = models.PositiveIntegerField(null=True, blank=True)
    pickup_code = models.CharField(max_length=8, null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    cancel_reason = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(
        max_length=10, blank=True, choices=[(s, s) for s in ("customer", "staff", "system")]
    )
    refunded_at = models.DateTimeField(null=True, blank=True)
    refund_reason = models.CharField(max_length=200, blank=True)
    # Compare-and-set by the remind use case: one reminder per order per interval, across processes.
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-order_no"]
        constraints = [
            models.CheckConstraint(condition=Q(total_fen__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(commission_fen__gte=0, commission_fen__lte=F("total_fen")),
                name="order_commission_within_total",
            ),
            models.CheckConstraint(
                condition=Q(resale_id__isnull=True, commission_bps=0)
                | Q(resale_id__isnull=False, affiliate_store_id__isnull=False),
                name="order_commission_only_through_a_resale",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s for s, _ in STATUS_CHOICES]), name="order_status_known"
            ),
            models.UniqueConstraint(
                fields=["customer_id", "idempotency_key"], name="order_idempotency_key_once"
            ),
            models.UniqueConstraint(fields=["solitaire_id", "sequence_no"], name="order_sequence_no_once"),
            models.UniqueConstraint(
                fields=["store_id", "pickup_code"], condition=Q(status="paid"), name="order_pickup_code_once"
            ),
        ]
        indexes = [
            models.Index(fields=["customer_id", "-created_at"], name="order_by_customer"),
            models.Index(fields=["store_id", "-created_at"], name="order_by_store"),
            models.Index(fields=["store_id", "status", "-created_at"], name="order_by_store_status"),
            models.Index(fields=["solitaire_id", "-created_at"], name="order_by_solitaire"),
            models.Index(
                fields=["expires_at"], condition=Q(status="pending_payment"), name="order_pending_expiry"
            ),
            models.Index(fields=["paid_at"], condition=Q(status="paid"), name="order_paid_completion"),
            models.Index(fields=["store_id", "pickup_code"], name="order_by_pickup_code"),
            models.Index(fields=["resale_id"], condition=Q(resale_id__isnull=False), name="order_by_resale"),
        ]

    def __str__(self) -> str:
        return self.order_no


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    goods_id = models.CharField(max_length=ID)
    solitaire_item_id = models.CharField(max_length=ID, null=True, blank=True)
    name = models.CharField(max_length=100)
    image_url = models.CharField(max_length=1000, blank=True)
    price_fen = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    subtotal_fen = models.BigIntegerField()

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="order_line_price_not_negative"),
            models.CheckConstraint(condition=Q(subtotal_fen__gte=0), name="order_line_subtotal_not_negative"),
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position_once"),
        ]
        indexes = [models.Index(fields=["solitaire_item_id"], name="order_line_by_item")]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class Payment(models.Model):
    id = models.CharField(primary_key=True, max_length=ID)
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="payment")
    order_no = models.CharField(max_length=32, db_index=True)  # WeChat Pay's notifications name it
    amount_fen = models.BigIntegerField()
    gateway = models.CharField(max_length=20)
    prepay = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=[(s, s) for s in ("created", "succeeded", "refunded")], default="created"
    )
    transaction_id = models.CharField(max_length=100, null=True, blank=True)
    refund_id = models.CharField(max_length=ID, null=True, blank=True)
    refund_status = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text="At the gateway: processing, succeeded, abnormal (an operator's case), closed.",
    )
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="payment_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.order_no} {self.amount_fen} ({self.status})"


class Refund(models.Model):
    """An order's one refund (the unique order keeps two concurrent refunds from both happening)."""

    id = models.CharField(primary_key=True, max_length=ID)
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="refund")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField()
    reason = models.CharField(max_length=200)
    requested_by = models.CharField(max_length=ID)
    requested_by_role = models.CharField(
        max_length=10, choices=[("customer", "customer"), ("staff", "staff")]
    )
    gateway_result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="refund_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"refund {self.amount_fen} of {self.order_id}"


class PaymentNotification(models.Model):
    """Every accepted notification, once per gateway transaction id (replays find it here)."""

    transaction_id = models.CharField(max_length=100, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="notifications")
    order_no = models.CharField(max_length=32)
    amount_fen = models.BigIntegerField()
    status = models.CharField(max_length=20)
    raw_body = models.TextField()
    outcome = models.CharField(max_length=20)  # paid, replayed, refunded, ignored, refund_succeeded …
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.transaction_id} → {self.outcome}"


class SolitaireSequence(models.Model):
    """The last sequence number given in a solitaire; incremented in the paying transaction."""

    solitaire_id = models.CharField(primary_key=True, max_length=ID)
    last_no = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.solitaire_id}: {self.last_no}"


class Cart(models.Model):
    id = models.CharField(primary_key=True, max_length=ID)
    customer_id = models.CharField(max_length=ID)
    store_id = models.CharField(max_length=ID)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["customer_id", "store_id"], name="one_cart_per_store")]

    def __str__(self) -> str:
        return f"cart {self.customer_id} @ {self.store_id}"


class CartLine(models.Model):
    id = models.CharField(primary_key=True, max_length=ID)
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    item_key = models.CharField(max_length=40)
    goods_id = models.CharField(max_length=ID)
    solitaire_item_id = models.CharField(max_length=ID, null=True, blank=True)
    name = models.CharField(max_length=100)
    image_url = models.CharField(max_length=1000, blank=True)
    price_fen = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_positive"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="cart_line_price_not_negative"),
            models.UniqueConstraint(fields=["cart", "item_key"], name="cart_line_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"
