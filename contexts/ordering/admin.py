"""The operators' view of ordering: read-mostly (orders change only through use cases)."""

from django.contrib import admin, messages

from contexts.ordering import bootstrap
from contexts.ordering.models import Cart, CartLine, Order, OrderLine, Payment, PaymentNotification, Refund


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ("position", "name", "goods_id", "solitaire_item_id", "price_fen", "quantity", "subtotal_fen")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = (
        "order_no",
        "status",
        "total_fen",
        "store_id",
        "solitaire_id",
        "sequence_no",
        "contact_name",
        "contact_phone",
        "created_at",
        "paid_at",
        "completed_at",
        "completed_by",
        "refunded_at",
    )
    list_filter = ("status", "pickup_method", "cancel_reason", "completed_by", "created_at")
    search_fields = (
        "order_no",
        "contact_name",
        "contact_phone",
        "=id",
        "=customer_id",
        "=store_id",
        "=solitaire_id",
        "=pickup_code",
    )
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    actions = ["expire_past_due"]

    @admin.action(description="Expire every unpaid order past its payment time")
    def expire_past_due(self, request, queryset):
        count = bootstrap.expire_unpaid_orders()
        self.message_user(request, f"{count} orders expired.", messages.SUCCESS)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "order_no",
        "amount_fen",
        "gateway",
        "status",
        "refund_status",
        "transaction_id",
        "created_at",
        "paid_at",
    )
    # refund_status "abnormal": WeChat Pay could not send the money back; an operator follows up.
    list_filter = ("status", "refund_status", "gateway")
    search_fields = ("=id", "order_no", "transaction_id", "refund_id")
    date_hierarchy = "created_at"


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "amount_fen", "requested_by_role", "requested_by", "reason", "created_at")
    list_filter = ("requested_by_role", "created_at")
    search_fields = ("=id", "order__order_no", "=order__id", "=requested_by", "reason")
    list_select_related = ("order",)
    date_hierarchy = "created_at"


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ("transaction_id", "order_no", "amount_fen", "status", "outcome", "received_at")
    list_filter = ("outcome", "status")
    search_fields = ("transaction_id", "order_no", "=payment__id")
    date_hierarchy = "received_at"


class CartLineInline(admin.TabularInline):
    model = CartLine
    extra = 0
    fields = ("name", "goods_id", "solitaire_item_id", "price_fen", "quantity", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cart)
class CartAdmin(ReadOnlyAdmin):
    list_display = ("id", "customer_id", "store_id", "created_at", "updated_at")
    search_fields = ("=id", "=customer_id", "=store_id")
    inlines = [CartLineInline]
