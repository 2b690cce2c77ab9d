"""Thin models of affiliate: one franchise policy per store, its rate kept within 0..5000 bps
by the database too."""

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
