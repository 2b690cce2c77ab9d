"""Operators inspect merchants, their balances and their stores. Balances change only through
settlement (a later issue), so they are read-only here."""

from django.contrib import admin

from contexts.merchant_account.models import Merchant, MerchantAccount, MerchantStore

ACCOUNT_FIELDS = ("pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")


class AccountInline(admin.StackedInline):
    model = MerchantAccount
    can_delete = False
    extra = 0
    fields = (*ACCOUNT_FIELDS, "updated_at")
    readonly_fields = fields


class StoreInline(admin.TabularInline):
    model = MerchantStore
    can_delete = False
    extra = 0
    fields = ("store_id", "added_at")
    readonly_fields = fields


def _balance(merchant: Merchant, name: str):
    account = getattr(merchant, "account", None)
    return getattr(account, name) if account else None


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("id", "user_id", *(f"account_{f}" for f in ACCOUNT_FIELDS), "created_at")
    search_fields = ("id", "user_id", "stores__store_id")
    date_hierarchy = "created_at"
    list_select_related = ("account",)
    readonly_fields = ("id", "user_id", "created_at")
    inlines = [AccountInline, StoreInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="pending (fen)", ordering="account__pending_fen")
    def account_pending_fen(self, obj):
        return _balance(obj, "pending_fen")

    @admin.display(description="available (fen)", ordering="account__available_fen")
    def account_available_fen(self, obj):
        return _balance(obj, "available_fen")

    @admin.display(description="settled total (fen)", ordering="account__settled_total_fen")
    def account_settled_total_fen(self, obj):
        return _balance(obj, "settled_total_fen")

    @admin.display(description="commission total (fen)", ordering="account__commission_total_fen")
    def account_commission_total_fen(self, obj):
        return _balance(obj, "commission_total_fen")


@admin.register(MerchantAccount)
class MerchantAccountAdmin(admin.ModelAdmin):
    list_display = ("merchant", *ACCOUNT_FIELDS, "updated_at")
    search_fields = ("merchant__id", "merchant__user_id")
    list_select_related = ("merchant",)
    readonly_fields = ("merchant", *ACCOUNT_FIELDS, "updated_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MerchantStore)
class MerchantStoreAdmin(admin.ModelAdmin):
    list_display = ("store_id", "merchant", "added_at")
    search_fields = ("store_id", "merchant__id", "merchant__user_id")
    date_hierarchy = "added_at"
    list_select_related = ("merchant",)
    readonly_fields = ("store_id", "merchant", "added_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
