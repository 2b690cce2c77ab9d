"""Operators inspect merchants, their balances and stores, the ledger, the settlements and the
orders' revenue. Money moves only through the use cases (events and settlement runs), so all of
it is read-only here, and nothing is ever deleted; the settlements' list has a "dry-run
settlement" button that shows what a run would settle now and writes nothing."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contexts.merchant_account import bootstrap
from contexts.merchant_account.contracts import RunSummary
from contexts.merchant_account.models import (
    LedgerEntry,
    Merchant,
    MerchantAccount,
    MerchantStore,
    OrderRevenue,
    Settlement,
)
from contexts.shared import admin_kit
from contexts.shared.domain.values import Money

ACCOUNT_FIELDS = ("pending_fen", "available_fen", "settled_total_fen", "commission_total_fen")


def merchant_names(ids: list[str]) -> dict[str, str]:
    """A merchant is named after the user who opened its first store."""
    owners = dict(Merchant.objects.filter(pk__in=ids).values_list("id", "user_id"))
    names = admin_kit.names_of("user", owners.values())
    return {merchant: names.get(user, admin_kit.short_id(merchant)) for merchant, user in owners.items()}


admin_kit.register_kind("merchant", url_name="admin:merchant_account_merchant_change", names=merchant_names)


class AccountInline(admin.StackedInline):
    model = MerchantAccount
    can_delete = False
    extra = 0
    fields = ("pending", "available", "settled_total", "commission_total", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("balance", "pending"))
    def pending(self, account):
        return Money(account.pending_fen).display()

    @admin.display(description=pgettext_lazy("balance", "available"))
    def available(self, account):
        return Money(account.available_fen).display()

    @admin.display(description=_("settled in total"))
    def settled_total(self, account):
        return Money(account.settled_total_fen).display()

    @admin.display(description=_("commissions earned in total"))
    def commission_total(self, account):
        return Money(account.commission_total_fen).display()


class StoreInline(admin_kit.ReadOnlyInline):
    model = MerchantStore
    fields = ("store_id", "added_at")
    references = {"store_id": "store"}


def _balance(name: str, description):
    @admin.display(description=description, ordering=f"account__{name}")
    def show(merchant: Merchant):
        account = getattr(merchant, "account", None)
        return admin_kit.MoneyDisplay(name, description)(account) if account else admin_kit.EMPTY

    show.__name__ = f"account_{name}"
    return show


@admin.register(Merchant)
class MerchantAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
        "id",
        _balance("pending_fen", pgettext_lazy("balance", "pending")),
        _balance("available_fen", pgettext_lazy("balance", "available")),
        _balance("settled_total_fen", _("settled in total")),
        _balance("commission_total_fen", _("commissions earned in total")),
        "created_at",
    )
    references = {"id": "merchant", "user_id": "user"}
    list_display_links = None  # the name links to the merchant's page
    search_fields = ("=id", "=user_id", "=stores__store_id")
    search_help_text = _("Search by merchant ID, owner ID or store ID.")
    date_hierarchy = "created_at"
    list_select_related = ("account",)
    inlines = [AccountInline, StoreInline]


@admin.register(MerchantAccount)
class MerchantAccountAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("merchant", *ACCOUNT_FIELDS, "updated_at")
    references = {"merchant": "merchant"}
    list_display_links = ("updated_at",)
    search_fields = ("=merchant__id", "=merchant__user_id")
    search_help_text = _("Search by merchant ID or owner ID.")


@admin.register(MerchantStore)
class MerchantStoreAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("store_id", "merchant", "added_at")
    references = {"store_id": "store", "merchant": "merchant"}
    list_display_links = ("added_at",)
    search_fields = ("=store_id", "=merchant__id", "=merchant__user_id")
    search_help_text = _("Search by store ID, merchant ID or owner ID.")
    date_hierarchy = "added_at"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
        "created_at",
        "merchant",
        "kind",
        "balance",
        "amount_fen",
        "order_no",
        "store_id",
        "settlement",
    )
    references = {"merchant": "merchant", "store_id": "store", "order": "order"}
    list_filter = ("kind", "balance", "created_at")
    search_fields = ("=order_no", "=merchant__id", "=merchant__user_id", "=settlement__id")
    search_help_text = _("Search by order number, merchant ID, owner ID or settlement ID.")
    date_hierarchy = "created_at"
    list_select_related = ("settlement",)


REVENUE_COLUMNS = ("order_no", "store_id", "completed_at", "total_fen", "fee_fen", "commission_fen")


class SettledOrdersInline(admin_kit.ReadOnlyInline):
    model = OrderRevenue
    fk_name = "settlement"
    verbose_name_plural = _("orders settled")
    fields = REVENUE_COLUMNS
    show_change_link = True


class PaidCommissionsInline(SettledOrdersInline):
    fk_name = "commission_settlement"
    verbose_name_plural = _("orders whose commission it paid")


@admin.register(Settlement)
class SettlementAdmin(admin_kit.ReadOnlyAdmin):
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
    references = {"merchant": "merchant"}
    list_filter = ("kind", "created_at")
    search_fields = ("=id", "=merchant__id", "=merchant__user_id", "=orders__order_no")
    search_help_text = _("Search by settlement ID, merchant ID, owner ID or order number.")
    date_hierarchy = "created_at"
    change_list_template = "admin/merchant_account/settlement/change_list.html"

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [SettledOrdersInline] if obj.kind == "orders" else [PaidCommissionsInline]

    def has_dry_run_permission(self, request) -> bool:
        return request.user.has_perm("merchant_account.dry_run_settlement")

    def changelist_view(self, request, extra_context=None):
        extra = {**(extra_context or {}), "can_dry_run": self.has_dry_run_permission(request)}
        return super().changelist_view(request, extra)

    def get_urls(self):
        dry_run = self.admin_site.admin_view(self.dry_run_view)
        return [
            path("dry-run/", dry_run, name="merchant_account_settlement_dry_run"),
            *super().get_urls(),
        ]

    def dry_run_view(self, request):
        """'Dry-run settlement': what settle_orders and settle_commissions would settle now, as a
        message each; nothing is written but a line in the admin history."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_dry_run_permission(request):
            raise PermissionDenied
        for run in (bootstrap.settle_orders, bootstrap.settle_commissions):
            summary = dry_run_message(run(dry_run=True))
            self.message_user(request, summary, messages.INFO)
            admin_kit.log_operator_run(
                request, Settlement, summary, gettext_noop("Ran a dry-run settlement.")
            )
        return redirect("admin:merchant_account_settlement_changelist")


def dry_run_message(summary: RunSummary) -> str:
    runs = {"orders": gettext("Order settlement"), "commissions": gettext("Commission payout")}
    text = gettext(
        "Dry run — %(run)s as of %(as_of)s: %(orders)s orders, gross %(gross)s, platform fee %(fee)s, "
        "commission %(commission)s, net %(net)s. Nothing was written."
    )
    return text % {
        "run": runs.get(summary.kind, summary.kind),
        "as_of": formats.date_format(timezone.localtime(summary.as_of), "DATETIME_FORMAT"),
        "orders": summary.orders,
        "gross": Money(summary.gross_fen).display(),
        "fee": Money(summary.fee_fen).display(),
        "commission": Money(summary.commission_fen).display(),
        "net": Money(summary.net_fen).display(),
    }


@admin.register(OrderRevenue)
class OrderRevenueAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
        "order_no",
        "merchant",
        "store_id",
        "completed_at",
        "total_fen",
        "fee_fen",
        "commission_fen",
        "affiliate_merchant",
        "settlement",
        "commission_settlement",
        "reversed_at",
    )
    references = {
        "merchant": "merchant",
        "affiliate_merchant": "merchant",
        "store_id": "store",
        "order_id": "order",
    }
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
    search_help_text = _("Search by order number, order ID, merchant ID or owner ID.")
    date_hierarchy = "completed_at"
    list_select_related = ("settlement", "commission_settlement")
