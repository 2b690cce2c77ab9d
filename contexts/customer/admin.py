"""Operators inspect store customers and the orders behind their counters. The counters move
only through order events, so nothing here is editable."""

from django.contrib import admin

from contexts.customer.models import CustomerOrder, StoreCustomer

CUSTOMER_FIELDS = (
    "id",
    "store_id",
    "user_id",
    "nickname",
    "phone",
    "order_count",
    "total_spent_fen",
    "first_order_at",
    "last_order_at",
    "remark",
    "tags",
    "updated_at",
)


class BuyerKindFilter(admin.SimpleListFilter):
    title = "buyer kind"
    parameter_name = "buyer"

    def lookups(self, request, model_admin):
        return [("repeat", "repeat (2+ orders)"), ("once", "one order"), ("none", "no order counted")]

    def queryset(self, request, queryset):
        if self.value() == "repeat":
            return queryset.filter(order_count__gte=2)
        if self.value() == "once":
            return queryset.filter(order_count=1)
        if self.value() == "none":
            return queryset.filter(order_count=0)
        return queryset


class CustomerOrderInline(admin.TabularInline):
    model = CustomerOrder
    can_delete = False
    extra = 0
    fields = ("order_id", "total_fen", "paid_at", "state", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StoreCustomer)
class StoreCustomerAdmin(admin.ModelAdmin):
    list_display = ("store_id", "nickname", "phone", "order_count", "total_spent_fen", "last_order_at")
    search_fields = ("nickname", "phone", "=store_id", "=user_id")
    list_filter = (BuyerKindFilter, "last_order_at")
    date_hierarchy = "last_order_at"
    readonly_fields = CUSTOMER_FIELDS
    inlines = [CustomerOrderInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustomerOrder)
class CustomerOrderAdmin(admin.ModelAdmin):
    list_display = ("order_id", "store_customer", "total_fen", "paid_at", "state", "created_at")
    search_fields = ("=order_id", "store_customer__nickname", "store_customer__phone")
    list_filter = ("state",)
    list_select_related = ("store_customer",)
    readonly_fields = ("order_id", "store_customer", "total_fen", "paid_at", "state", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
