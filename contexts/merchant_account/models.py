"""Thin models of merchant_account; the database keeps one merchant per user, one account per
merchant, one merchant per store, and balances that are never negative."""

from django.db import models


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
