"""Operators see every store's franchise policy and may correct it; a change goes through the
same use case (and validation) as the owner's."""

from django.contrib import admin

from contexts.affiliate import bootstrap
from contexts.affiliate.models import FranchisePolicy


@admin.register(FranchisePolicy)
class FranchisePolicyAdmin(admin.ModelAdmin):
    list_display = ("store_id", "enabled", "commission_bps", "billing_cycle", "updated_at")
    list_filter = ("enabled", "billing_cycle")
    search_fields = ("store_id",)
    date_hierarchy = "updated_at"
    fields = ("store_id", "enabled", "commission_bps", "billing_cycle", "updated_at")
    readonly_fields = ("store_id", "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form's field validators already hold the rate within 0..5000 bps.
        bootstrap.update_policy(
            store_id=str(obj.store_id),
            enabled=obj.enabled,
            commission_bps=obj.commission_bps,
            billing_cycle=obj.billing_cycle,
        )
