"""Operators see every store's franchise policy; a correction (by whoever may change policies)
goes through the same use case and validation as the owner's. Members and resales decide who
is paid commissions: they are only looked at here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contexts.affiliate import bootstrap
from contexts.affiliate.models import FranchisePolicy, Membership, Resale
from contexts.shared import admin_kit


@admin.register(FranchisePolicy)
class FranchisePolicyAdmin(admin_kit.OperatorAdmin):
    list_display = ("store_id", "enabled", "commission_bps", "billing_cycle", "updated_at")
    references = {"store_id": "store"}
    list_display_links = ("updated_at",)
    list_filter = ("enabled", "billing_cycle")
    search_fields = ("=store_id",)
    search_help_text = _("Search by store ID.")
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


@admin.register(Membership)
class MembershipAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("member_store_id", "brand_store_id", "joined_at")
    references = {"brand_store_id": "store", "member_store_id": "store"}
    list_display_links = ("joined_at",)
    list_filter = ("joined_at",)
    search_fields = ("=brand_store_id", "=member_store_id")
    search_help_text = _("Search by brand or member store ID.")
    date_hierarchy = "joined_at"


@admin.register(Resale)
class ResaleAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("created_at", "solitaire_id", "brand_store_id", "store_id")
    references = {"solitaire_id": "solitaire", "brand_store_id": "store", "store_id": "store"}
    list_filter = ("created_at",)
    search_fields = ("=id", "=solitaire_id", "=brand_store_id", "=store_id")
    search_help_text = _("Search by resale, solitaire or store ID.")
    date_hierarchy = "created_at"
