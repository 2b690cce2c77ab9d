"""Thin models of ordering; the database keeps the rules no race may break."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

STATUS_CHOICES = [
    ("pending_payment", _("pending payment")),
    ("paid", _("paid")),
    ("completed", _("completed")),
    ("cancelled", _("cancelled")),
    ("refunded", _("refunded")),
]
PICKUP_METHODS = [("pickup", _("pickup")), ("delivery", _("delivery"))]
BY_WHOM = [("customer", _("the customer")), ("staff", _("staff")), ("system", _("the system"))]
ID = 36


class Order(models.Model):
    id = models.CharField(_("ID"), primary_key=True, max_length=ID)
    order_no = models.CharField(_("order number"), max_length=32, unique=True)
    customer_id = models.CharField(_("customer"), max_length=ID)
    store_id = models.CharField(_("store"), max_length=ID)
    solitaire_id = models.CharField(_("solitaire"), max_length=ID, null=True, blank=True)
    resale_id = models.CharField(_("resale"), max_length=ID, null=True, blank=True)
    # The resale's terms when the order was placed (what settlement pays, whatever changes later).
    affiliate_store_id = models.CharField(_("affiliate store"), max_length=ID, null=True, blank=True)
    commission_bps = models.PositiveIntegerField(_("commission rate (bp)"), default=0)
    commission_fen = models.BigIntegerField(_("commission"), default=0)
    billing_cycle = models.CharField(_("billing cycle"), max_length=10, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default="pending_payment")
    total_fen = models.BigIntegerField(_("total"))
    pickup_method = models.CharField(_("pickup method"), max_length=10, choices=PICKUP_METHODS)
    pickup_point_id = models.CharField(_("pickup point"), max_length=ID, null=True, blank=True)
    pickup_address = models.JSONField(_("delivery address"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    sequence_no = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    pickup_code = models.CharField(_("pickup code"), max_length=8, null=True, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True)
    cancel_reason = models.CharField(
        _("cancel reason"),
        max_length=10,
        blank=True,
        choices=[("customer", _("cancelled by the customer")), ("expired", _("not paid in time"))],
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("pay before"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    completed_by = models.CharField(
        _("completed by"),
        max_length=10,
        blank=True,
        choices=BY_WHOM,
    )
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund_reason = models.CharField(_("refund reason"), max_length=200, blank=True)
    # Compare-and-set by the remind use case: one reminder per order per interval, across processes.
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
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
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    goods_id = models.CharField(_("goods"), max_length=ID)
    solitaire_item_id = models.CharField(_("solitaire item"), max_length=ID, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    image_url = models.CharField(_("image URL"), max_length=1000, blank=True)
    price_fen = models.BigIntegerField(_("price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    subtotal_fen = models.BigIntegerField(_("subtotal"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
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
    id = models.CharField(_("ID"), primary_key=True, max_length=ID)
    order = models.OneToOneField(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payment"
    )
    # WeChat Pay's notifications name it
    order_no = models.CharField(_("order number"), max_length=32, db_index=True)
    amount_fen = models.BigIntegerField(_("amount"))
    gateway = models.CharField(_("gateway"), max_length=20)
    prepay = models.JSONField(_("prepay parameters"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[("created", _("created")), ("succeeded", _("succeeded")), ("refunded", _("refunded"))],
        default="created",
    )
    transaction_id = models.CharField(_("transaction ID"), max_length=100, null=True, blank=True)
    refund_id = models.CharField(_("refund ID"), max_length=ID, null=True, blank=True)
    refund_status = models.CharField(
        _("refund status at the gateway"),
        max_length=10,
        blank=True,
        default="",
        choices=[
            ("", _("none")),
            ("processing", _("processing")),
            ("succeeded", _("succeeded")),
            ("abnormal", _("abnormal (an operator follows up)")),
            ("closed", _("closed")),
        ],
    )
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="payment_amount_not_negative")
        ]

    def __str__(self) -> str:
        return _("payment of order %(order_no)s") % {"order_no": self.order_no}


class Refund(models.Model):
    """An order's one refund (the unique order keeps two concurrent refunds from both happening)."""

    id = models.CharField(_("ID"), primary_key=True, max_length=ID)
    order = models.OneToOneField(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="refund"
    )
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount_fen = models.BigIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.CharField(_("requested by"), max_length=ID)
    requested_by_role = models.CharField(
        _("requested by role"),
        max_length=10,
        choices=[("customer", _("the customer")), ("staff", _("staff"))],
    )
    gateway_result = models.JSONField(_("gateway result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="refund_amount_not_negative")
        ]

    def __str__(self) -> str:
        return _("refund of order %(order_no)s") % {"order_no": self.order.order_no}


class PaymentNotification(models.Model):
    """Every accepted notification, once per gateway transaction id (replays find it here)."""

    transaction_id = models.CharField(_("transaction ID"), max_length=100, unique=True)
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="notifications"
    )
    order_no = models.CharField(_("order number"), max_length=32)
    amount_fen = models.BigIntegerField(_("amount"))
    status = models.CharField(_("status"), max_length=20)
    raw_body = models.TextField(_("raw body"))
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=[
            ("received", _("received")),
            ("paid", _("paid the order")),
            ("refunded", _("refunded (order no longer payable)")),
            ("ignored", _("ignored (a repeat)")),
            ("refund_processing", _("refund under way")),
            ("refund_succeeded", _("refund succeeded")),
            ("refund_abnormal", _("refund abnormal")),
            ("refund_closed", _("refund closed")),
        ],
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.transaction_id} → {self.get_outcome_display()}"


class SolitaireSequence(models.Model):
    """The last sequence number given in a solitaire; incremented in the paying transaction."""

    solitaire_id = models.CharField(_("solitaire"), primary_key=True, max_length=ID)
    last_no = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("solitaire sequence")
        verbose_name_plural = _("solitaire sequences")

    def __str__(self) -> str:
        return f"{self.solitaire_id}: {self.last_no}"


class Cart(models.Model):
    id = models.CharField(_("ID"), primary_key=True, max_length=ID)
    customer_id = models.CharField(_("customer"), max_length=ID)
    store_id = models.CharField(_("store"), max_length=ID)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [models.UniqueConstraint(fields=["customer_id", "store_id"], name="one_cart_per_store")]

    def __str__(self) -> str:
        return _("cart %(id)s") % {"id": self.pk[:8]}


class CartLine(models.Model):
    id = models.CharField(_("ID"), primary_key=True, max_length=ID)
    cart = models.ForeignKey(Cart, verbose_name=_("cart"), on_delete=models.CASCADE, related_name="lines")
    item_key = models.CharField(_("item key"), max_length=40)
    goods_id = models.CharField(_("goods"), max_length=ID)
    solitaire_item_id = models.CharField(_("solitaire item"), max_length=ID, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    image_url = models.CharField(_("image URL"), max_length=1000, blank=True)
    price_fen = models.BigIntegerField(_("price"))
    quantity = models.PositiveIntegerField(_("quantity"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_positive"),
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="cart_line_price_not_negative"),
            models.UniqueConstraint(fields=["cart", "item_key"], name="cart_line_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"
