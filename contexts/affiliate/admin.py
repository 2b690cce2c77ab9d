"""Operators see every store's franchise policy and may correct it; a change goes through the
same use case (and validation) as the owner's. Members and resales they only look at."""

from django.contrib import admin

from contexts.affiliate import bootstrap
from contexts.affiliate.models import FranchisePolicy, Membership, Resale


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Members and resales decide who is paid commissions: operators look, and an owner's own
    request (through its use case) is the only way to change them."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("brand_store_id", "member_store_id", "joined_at")
    list_filter = ("joined_at",)
    search_fields = ("=brand_store_id", "=member_store_id")
    date_hierarchy = "joined_at"


@admin.register(Resale)
class ResaleAdmin(ReadOnlyAdmin):
    list_display = ("id", "solitaire_id", "brand_store_id", "store_id", "created_at")
    list_filter = ("created_at",)
    search_fields = ("=id", "=solitaire_id", "=brand_store_id", "=store_id")
    date_hierarchy = "created_at"
