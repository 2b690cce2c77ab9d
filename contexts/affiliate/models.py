"""Thin models of affiliate: one franchise policy per store (its rate kept within 0..5000 bps
by the database too), the franchises' members and their resales."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class FranchisePolicy(models.Model):
    class BillingCycle(models.TextChoices):
        DAILY = "daily"
        WEEKLY = "weekly"
        MONTHLY = "monthly"

    id = models.CharField(max_length=36, primary_key=True)
    store_id = models.CharField(max_length=36, unique=True, help_text="the brand store")
    enabled = models.BooleanField(default=False)
    commission_bps = models.IntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(5000)]
    )
    billing_cycle = models.CharField(
        max_length=10, choices=BillingCycle.choices, default=BillingCycle.MONTHLY
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "franchise policy"
        verbose_name_plural = "franchise policies"
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
        return f"franchise of store {self.store_id}"


class Membership(models.Model):
    """An affiliate store in a brand's franchise. The domain keeps a store a member at most
    once and never the brand itself; these constraints hold it under concurrent requests."""

    brand_store_id = models.CharField(max_length=36, help_text="the brand store (its franchise)")
    member_store_id = models.CharField(max_length=36, db_index=True, help_text="the affiliate store")
    joined_at = models.DateTimeField()

    class Meta:
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
        return f"store {self.member_store_id} in the franchise of {self.brand_store_id}"


class Resale(models.Model):
    """An affiliate store's resale of a brand's solitaire: one per solitaire and store."""

    id = models.CharField(max_length=36, primary_key=True)
    solitaire_id = models.CharField(max_length=36)
    brand_store_id = models.CharField(max_length=36, help_text="the solitaire's store")
    store_id = models.CharField(max_length=36, help_text="the affiliate store")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solitaire_id", "store_id"], name="resale_once_per_store"),
        ]
        indexes = [models.Index(fields=["store_id", "-created_at"], name="resale_store_newest")]

    def __str__(self) -> str:
        return f"resale of solitaire {self.solitaire_id} by store {self.store_id}"
