"""Operators inspect merchants, their balances and stores, the ledger, the settlements and the
orders' revenue. Money moves only through the use cases (events and settlement runs), so all of
it is read-only here; the settlements' list has a "dry-run settlement" button."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path

from contexts.merchant_account import bootstrap
from contexts.merchant_account.models import (
    LedgerEntry,
    Merchant,
    MerchantAccount,
    MerchantStore,
    OrderRevenue,
    Settlement,
)

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


class ReadOnly(admin.ModelAdmin):
    """The ledger is append-only and written by its use cases alone: operators read it."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("created_at", "merchant", "kind", "balance", "amount_fen", "order_no", "settlement")
    list_filter = ("kind", "balance")
    search_fields = ("=order_no", "=merchant__id", "=merchant__user_id", "=settlement__id")
    date_hierarchy = "created_at"
    list_select_related = ("merchant",)


REVENUE_COLUMNS = ("order_no", "store_id", "completed_at", "total_fen", "fee_fen", "commission_fen")


class SettledOrdersInline(admin.TabularInline):
    model = OrderRevenue
    fk_name = "settlement"
    verbose_name_plural = "orders settled"
    fields = REVENUE_COLUMNS
    readonly_fields = REVENUE_COLUMNS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PaidCommissionsInline(SettledOrdersInline):
    fk_name = "commission_settlement"
    verbose_name_plural = "orders whose commission it paid"


@admin.register(Settlement)
class SettlementAdmin(ReadOnly):
    list_display = (
        "created_at",
        "merchant",
        "kind",
        "period_start",
        "period_end",
        "order_count",
        "gross_fen",
        "fee_fen",
        "commission_fen",
        "net_fen",
    )
    list_filter = ("kind",)
    search_fields = ("=id", "=merchant__id", "=merchant__user_id", "=orders__order_no")
    date_hierarchy = "created_at"
    list_select_related = ("merchant",)
    change_list_template = "admin/merchant_account/settlement/change_list.html"

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [SettledOrdersInline] if obj.kind == "orders" else [PaidCommissionsInline]

    def get_urls(self):
        dry_run = self.admin_site.admin_view(self.dry_run_view)
        return [
            path("dry-run/", dry_run, name="merchant_account_settlement_dry_run"),
            *super().get_urls(),
        ]

    def dry_run_view(self, request):
        """'Dry-run settlement': what settle_orders and settle_commissions would settle now, as a
        message; nothing is written."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        for run in (bootstrap.settle_orders, bootstrap.settle_commissions):
            summary = run(dry_run=True)
            self.message_user(
                request, f"Dry run of {summary.kind} as of now: {summary.line()}", messages.INFO
            )
        return redirect("admin:merchant_account_settlement_changelist")


@admin.register(OrderRevenue)
class OrderRevenueAdmin(ReadOnly):
    list_display = (
        "order_no",
        "merchant",
        "completed_at",
        "total_fen",
        "fee_fen",
        "commission_fen",
        "affiliate_merchant",
        "settlement",
        "commission_settlement",
        "reversed_at",
    )
    list_filter = (
        ("settlement", admin.EmptyFieldListFilter),
        ("commission_settlement", admin.EmptyFieldListFilter),
        ("reversed_at", admin.EmptyFieldListFilter),
    )
    search_fields = (
        "=order_no",
        "=order_id",
        "=merchant__id",
        "=merchant__user_id",
        "=affiliate_merchant__id",
    )
    date_hierarchy = "completed_at"
    list_select_related = ("merchant", "affiliate_merchant")
