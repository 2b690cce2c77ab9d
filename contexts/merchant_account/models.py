"""Thin models of merchant_account; the database keeps one merchant per user, one account per
merchant, one merchant per store, balances that are never negative, and a ledger in which an
order is credited, settled and paid at most once."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Merchant(models.Model):
    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    user_id = models.CharField(
        _("owner"),
        max_length=36,
        unique=True,
        help_text=_("The user who created the merchant's first store."),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("merchant %(id)s") % {"id": self.pk[:8]}


class MerchantAccount(models.Model):
    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    merchant = models.OneToOneField(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="account"
    )
    pending_fen = models.BigIntegerField(pgettext_lazy("balance", "pending"), default=0)
    available_fen = models.BigIntegerField(pgettext_lazy("balance", "available"), default=0)
    settled_total_fen = models.BigIntegerField(_("settled in total"), default=0)
    commission_total_fen = models.BigIntegerField(_("commissions earned in total"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("merchant account")
        verbose_name_plural = _("merchant accounts")
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
        return _("account of merchant %(id)s") % {"id": self.merchant_id[:8]}


class MerchantStore(models.Model):
    """Which merchant a store belongs to (settlement credits the store's revenue there)."""

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="stores"
    )
    store_id = models.CharField(_("store"), max_length=36, unique=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("merchant's store")
        verbose_name_plural = _("merchants' stores")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return _("store %(store)s of merchant %(merchant)s") % {
            "store": self.store_id[:8],
            "merchant": self.merchant_id[:8],
        }


ENTRY_KINDS = [
    ("order_completed", _("order completed")),
    ("order_settled", _("order settled")),
    ("platform_fee", _("platform fee")),
    ("commission_withheld", _("commission withheld")),
    ("commission_earned", _("commission earned")),
    ("order_reversed", _("order reversed")),
]
BALANCE_CHOICES = [
    ("pending", pgettext_lazy("balance", "pending")),
    ("available", pgettext_lazy("balance", "available")),
]
SETTLEMENT_KIND_CHOICES = [
    ("orders", pgettext_lazy("settlement kind", "orders")),
    ("commissions", pgettext_lazy("settlement kind", "commissions")),
]
KINDS = [kind for kind, _label in ENTRY_KINDS]
BALANCES = [balance for balance, _label in BALANCE_CHOICES]
SETTLEMENT_KINDS = [kind for kind, _label in SETTLEMENT_KIND_CHOICES]


class Settlement(models.Model):
    """One merchant's part of a settlement run: `orders` (one per merchant per run, period =
    its orders' earliest completion .. the run's as-of) or `commissions` (one per affiliate and
    billing cycle, period = the cycle; a later run that finds more of its orders adds to it)."""

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="settlements"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SETTLEMENT_KIND_CHOICES)
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))
    order_count = models.PositiveIntegerField(_("order count"))
    gross_fen = models.BigIntegerField(_("gross"))
    fee_fen = models.BigIntegerField(_("platform fee"))
    commission_fen = models.BigIntegerField(_("commission"))
    net_fen = models.BigIntegerField(_("net"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        permissions = [("dry_run_settlement", _("Can run a dry-run settlement"))]
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
        return _("%(kind)s settlement %(id)s") % {"kind": self.get_kind_display(), "id": self.pk[:8]}


class OrderRevenue(models.Model):
    """A completed order's revenue, one row per order: what the runs settle, set-based. The fee
    and the settlements are filled in by the runs; the commission's billing cycle is the
    brand's cycle (when the order was placed) that contains the completion."""

    order_id = models.CharField(_("order"), max_length=36, primary_key=True)
    order_no = models.CharField(_("order number"), max_length=32)
    store_id = models.CharField(_("store"), max_length=36)
    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="revenue"
    )
    total_fen = models.BigIntegerField(_("total"))
    completed_at = models.DateTimeField(_("completed at"))
    resale_id = models.CharField(_("resale"), max_length=36, null=True, blank=True)
    affiliate_merchant = models.ForeignKey(
        Merchant,
        verbose_name=_("affiliate merchant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliate_revenue",
    )
    commission_fen = models.BigIntegerField(_("commission"), default=0)
    commission_cycle_start = models.DateTimeField(_("commission cycle start"), null=True, blank=True)
    commission_cycle_end = models.DateTimeField(_("commission cycle end"), null=True, blank=True)
    fee_fen = models.BigIntegerField(_("platform fee"), null=True, blank=True)
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("settlement"),
    )
    commission_settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commission_orders",
        verbose_name=_("commission settlement"),
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    credited_at = models.DateTimeField(_("credited at"))

    class Meta:
        verbose_name = _("order revenue")
        verbose_name_plural = _("order revenue")
        ordering = ["-completed_at", "-order_id"]
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
        return _("revenue of order %(order_no)s") % {"order_no": self.order_no}


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

    merchant = models.ForeignKey(
        Merchant, verbose_name=_("merchant"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ENTRY_KINDS)
    balance = models.CharField(_("balance"), max_length=10, choices=BALANCE_CHOICES)
    amount_fen = models.BigIntegerField(_("amount"), help_text=_("Signed: + credits, - debits the balance."))
    order = models.ForeignKey(
        OrderRevenue, verbose_name=_("order revenue"), on_delete=models.PROTECT, related_name="entries"
    )
    order_no = models.CharField(_("order number"), max_length=32)
    store_id = models.CharField(_("store"), max_length=36)
    settlement = models.ForeignKey(
        Settlement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("settlement"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=ENTRY_MOVES, name="entry_kind_balance_and_sign"),
            models.UniqueConstraint(fields=["order", "kind", "balance"], name="entry_once_per_order"),
        ]
        indexes = [
            models.Index(fields=["merchant", "-created_at", "-id"], name="entry_by_merchant"),
            models.Index(fields=["merchant", "balance", "kind"], name="entry_sums"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.order_no}"
