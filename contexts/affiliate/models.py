"""Thin models of affiliate: one franchise policy per store (its rate kept within 0..5000 bps
by the database too), the franchises' members and their resales."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FranchisePolicy(models.Model):
    class BillingCycle(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    store_id = models.CharField(_("brand store"), max_length=36, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    commission_bps = models.IntegerField(
        _("commission rate (bp)"),
        help_text=_("1 bp = 0.01%; at most 5000 (50%)."),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(5000)],
    )
    billing_cycle = models.CharField(
        _("billing cycle"), max_length=10, choices=BillingCycle.choices, default=BillingCycle.MONTHLY
    )
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("franchise policy")
        verbose_name_plural = _("franchise policies")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commission_bps__gte=0, commission_bps__lte=5000),
                name="franchise_commission_bps_0_5000",
            ),
            models.CheckConstraint(
                condition=models.Q(billing_cycle__in=["daily", "weekly", "monthly"]),
                name="franchise_billing_cycle_known",
            ),
        ]

    def __str__(self) -> str:
        return _("franchise policy %(id)s") % {"id": self.store_id[:8]}


class Membership(models.Model):
    """An affiliate store in a brand's franchise. The domain keeps a store a member at most
    once and never the brand itself; these constraints hold it under concurrent requests."""

    brand_store_id = models.CharField(
        _("brand store"), max_length=36, help_text=_("The brand store (its franchise).")
    )
    member_store_id = models.CharField(
        _("member store"), max_length=36, db_index=True, help_text=_("The affiliate store.")
    )
    joined_at = models.DateTimeField(_("joined at"))

    class Meta:
        verbose_name = _("franchise member")
        verbose_name_plural = _("franchise members")
        ordering = ["brand_store_id", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand_store_id", "member_store_id"], name="franchise_member_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(brand_store_id=models.F("member_store_id")),
                name="franchise_brand_is_not_its_member",
            ),
        ]

    def __str__(self) -> str:
        return _("member %(member)s of %(brand)s") % {
            "member": self.member_store_id[:8],
            "brand": self.brand_store_id[:8],
        }


class Resale(models.Model):
    """An affiliate store's resale of a brand's solitaire: one per solitaire and store."""

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    solitaire_id = models.CharField(_("solitaire"), max_length=36)
    brand_store_id = models.CharField(_("brand store"), max_length=36, help_text=_("The solitaire's store."))
    store_id = models.CharField(_("affiliate store"), max_length=36, help_text=_("The affiliate store."))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("resale")
        verbose_name_plural = _("resales")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solitaire_id", "store_id"], name="resale_once_per_store"),
        ]
        indexes = [models.Index(fields=["store_id", "-created_at"], name="resale_store_newest")]

    def __str__(self) -> str:
        return _("resale %(id)s") % {"id": self.pk[:8]}
