"""Thin models of merchant_account; the database keeps one merchant per user, one account per
merchant, one merchant per store, balances that are never negative, and a ledger in which an
order is credited, settled and paid at most once."""

from django.db import models
from django.db.models import F, Q


class Merchant(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    user_id = models.CharField(
        max_length=36, unique=True, help_text="identity user who created the merchant's first store"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"merchant {self.pk} (user {self.user_id})"


class MerchantAccount(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    merchant = models.OneToOneField(Merchant, on_delete=models.PROTECT, related_name="account")
    pending_fen = models.BigIntegerField(default=0)
    available_fen = models.BigIntegerField(default=0)
    settled_total_fen = models.BigIntegerField(default=0)
    commission_total_fen = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pending_fen__gte=0), name="account_pending_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(available_fen__gte=0), name="account_available_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(settled_total_fen__gte=0), name="account_settled_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(commission_total_fen__gte=0), name="account_commission_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"account of {self.merchant_id}"


class MerchantStore(models.Model):
    """Which merchant a store belongs to (settlement credits the store's revenue there)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="stores")
    store_id = models.CharField(max_length=36, unique=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"store {self.store_id} of {self.merchant_id}"


KINDS = [
    "order_completed",
    "order_settled",
    "platform_fee",
    "commission_withheld",
    "commission_earned",
    "order_reversed",
]
BALANCES = ["pending", "available"]
SETTLEMENT_KINDS = ["orders", "commissions"]


class Settlement(models.Model):
    """One merchant's part of a settlement run: `orders` (one per merchant per run, period =
    its orders' earliest completion .. the run's as-of) or `commissions` (one per affiliate and
    billing cycle, period = the cycle; a later run that finds more of its orders adds to it)."""

    id = models.CharField(max_length=36, primary_key=True)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(max_length=12, choices=[(k, k) for k in SETTLEMENT_KINDS])
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    order_count = models.PositiveIntegerField()
    gross_fen = models.BigIntegerField()
    fee_fen = models.BigIntegerField()
    commission_fen = models.BigIntegerField()
    net_fen = models.BigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SETTLEMENT_KINDS), name="settlement_kind_known"),
            models.CheckConstraint(
                condition=Q(gross_fen__gte=0, fee_fen__gte=0, commission_fen__gte=0, net_fen__gte=0),
                name="settlement_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind="orders", net_fen=F("gross_fen") - F("fee_fen") - F("commission_fen"))
                | Q(kind="commissions", fee_fen=0, commission_fen=F("gross_fen"), net_fen=F("gross_fen")),
                name="settlement_net_adds_up",
            ),
            models.UniqueConstraint(
                fields=["merchant", "period_start", "period_end"],
                condition=Q(kind="commissions"),
                name="settlement_commissions_once_per_cycle",
            ),
        ]
        indexes = [models.Index(fields=["merchant", "-created_at", "-id"], name="settlement_by_merchant")]

    def __str__(self) -> str:
        return f"{self.kind} settlement {self.pk} of {self.merchant_id}"


class OrderRevenue(models.Model):
    """A completed order's revenue, one row per order: what the runs settle, set-based. The fee
    and the settlements are filled in by the runs; the commission's billing cycle is the
    brand's cycle (when the order was placed) that contains the completion."""

    order_id = models.CharField(max_length=36, primary_key=True)
    order_no = models.CharField(max_length=32)
    store_id = models.CharField(max_length=36)
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="revenue")
    total_fen = models.BigIntegerField()
    completed_at = models.DateTimeField()
    resale_id = models.CharField(max_length=36, null=True, blank=True)
    affiliate_merchant = models.ForeignKey(
        Merchant, on_delete=models.PROTECT, null=True, blank=True, related_name="affiliate_revenue"
    )
    commission_fen = models.BigIntegerField(default=0)
    commission_cycle_start = models.DateTimeField(null=True, blank=True)
    commission_cycle_end = models.DateTimeField(null=True, blank=True)
    fee_fen = models.BigIntegerField(null=True, blank=True)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    commission_settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="commission_orders"
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    credited_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at", "-order_id"]
        verbose_name_plural = "order revenue"
        constraints = [
            models.CheckConstraint(
                condition=Q(total_fen__gte=0, commission_fen__gte=0, commission_fen__lte=F("total_fen")),
                name="revenue_commission_within_total",
            ),
            models.CheckConstraint(
                condition=Q(resale_id__isnull=True, affiliate_merchant__isnull=True, commission_fen=0)
                | Q(
                    resale_id__isnull=False,
                    affiliate_merchant__isnull=False,
                    commission_cycle_start__isnull=False,
                    commission_cycle_end__gt=F("commission_cycle_start"),
                ),
                name="revenue_commission_through_a_resale",
            ),
            models.CheckConstraint(
                condition=Q(settlement__isnull=True, fee_fen__isnull=True)
                | Q(
                    settlement__isnull=False,
                    reversed_at__isnull=True,
                    fee_fen__gte=0,
                    fee_fen__lte=F("total_fen") - F("commission_fen"),
                ),
                name="revenue_settled_with_its_fee",
            ),
            models.CheckConstraint(
                condition=Q(commission_settlement__isnull=True)
                | Q(settlement__isnull=False, commission_fen__gt=0),
                name="revenue_commission_paid_after_withheld",
            ),
        ]
        indexes = [
            models.Index(
                fields=["completed_at", "order_id"],
                condition=Q(settlement__isnull=True, reversed_at__isnull=True),
                name="revenue_unsettled",
            ),
            models.Index(
                fields=["commission_cycle_end", "order_id"],
                condition=Q(
                    settlement__isnull=False, commission_settlement__isnull=True, commission_fen__gt=0
                ),
                name="revenue_commission_owed",
            ),
        ]

    def __str__(self) -> str:
        return f"revenue of order {self.order_no}"


# The balance each kind moves and its sign (domain/ledger.py MOVES), kept by the database too.
ENTRY_MOVES = (
    Q(kind="order_completed", balance="pending", amount_fen__gte=0)
    | Q(kind="order_reversed", balance="pending", amount_fen__lte=0)
    | Q(kind="order_settled", balance="pending", amount_fen__lte=0)
    | Q(kind="order_settled", balance="available", amount_fen__gte=0)
    | Q(kind="platform_fee", balance="available", amount_fen__lte=0)
    | Q(kind="commission_withheld", balance="available", amount_fen__lte=0)
    | Q(kind="commission_earned", balance="available", amount_fen__gte=0)
)


class LedgerEntry(models.Model):
    """Append-only: one movement of one merchant's balance, for one order. An order is
    credited once, settled once and its commission earned once: (order, kind, balance) is
    unique, whoever delivers the event twice or runs settlement twice at once."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=[(k, k) for k in KINDS])
    balance = models.CharField(max_length=10, choices=[(b, b) for b in BALANCES])
    amount_fen = models.BigIntegerField(help_text="Signed: + credits, - debits the balance.")
    order = models.ForeignKey(OrderRevenue, on_delete=models.PROTECT, related_name="entries")
    order_no = models.CharField(max_length=32)
    store_id = models.CharField(max_length=36)
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=ENTRY_MOVES, name="entry_kind_balance_and_sign"),
            models.UniqueConstraint(fields=["order", "kind", "balance"], name="entry_once_per_order"),
        ]
        indexes = [
            models.Index(fields=["merchant", "-created_at", "-id"], name="entry_by_merchant"),
            models.Index(fields=["merchant", "balance", "kind"], name="entry_sums"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.balance} {self.amount_fen:+d} ({self.order_no})"
