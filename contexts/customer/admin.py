"""Operators inspect store customers and the orders behind their counters. The counters move
only through order events, so nothing here is editable."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contexts.customer.models import CustomerOrder, StoreCustomer
from contexts.shared import admin_kit


class BuyerKindFilter(admin.SimpleListFilter):
    title = _("buyer kind")
    parameter_name = "buyer"

    def lookups(self, request, model_admin):
        return [
            ("repeat", _("repeat (2+ orders)")),
            ("once", _("one order")),
            ("none", _("no order counted")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "repeat":
            return queryset.filter(order_count__gte=2)
        if self.value() == "once":
            return queryset.filter(order_count=1)
        if self.value() == "none":
            return queryset.filter(order_count=0)
        return queryset


class CustomerOrderInline(admin_kit.ReadOnlyInline):
    model = CustomerOrder
    fields = ("order_id", "total_fen", "paid_at", "state", "created_at")


@admin.register(StoreCustomer)
class StoreCustomerAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("nickname", "store_id", "phone", "order_count", "total_spent_fen", "last_order_at")
    references = {"store_id": "store", "user_id": "user"}
    search_fields = ("nickname", "phone", "=store_id", "=user_id")
    search_help_text = _("Search by nickname, phone, store ID or user ID.")
    list_filter = (BuyerKindFilter, "last_order_at")
    date_hierarchy = "last_order_at"
    inlines = [CustomerOrderInline]


@admin.register(CustomerOrder)
class CustomerOrderAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("store_customer", "order_id", "total_fen", "paid_at", "state", "created_at")
    references = {"order_id": "order"}
    search_fields = ("=order_id", "store_customer__nickname", "store_customer__phone")
    search_help_text = _("Search by customer nickname, phone or order ID.")
    list_filter = ("state",)
    list_select_related = ("store_customer",)
