"""The operators' view of ordering: read-only (orders and money change only through use cases;
nothing here is ever deleted). Orders are found by their number, contact or phone."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.ordering import bootstrap, queries
from contexts.ordering.models import Cart, CartLine, Order, OrderLine, Payment, PaymentNotification, Refund
from contexts.shared import admin_kit

admin_kit.register_kind("order", url_name="admin:ordering_order_change", names=queries.order_numbers)


class OrderLineInline(admin_kit.ReadOnlyInline):
    model = OrderLine
    fields = ("position", "name", "goods_id", "price_fen", "quantity", "subtotal_fen")


@admin.register(Order)
class OrderAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
        "order_no",
        "status",
        "total_fen",
        "store_id",
        "solitaire_id",
        "sequence_no",
        "customer_id",
        "contact_name",
        "contact_phone",
        "created_at",
        "paid_at",
    )
    references = {
        "store_id": "store",
        "solitaire_id": "solitaire",
        "customer_id": "user",
        "affiliate_store_id": "store",
        "pickup_point_id": "pickup_point",
    }
    list_filter = ("status", "pickup_method", "cancel_reason", "completed_by", "created_at", "paid_at")
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
    search_help_text = _("Search by order number, contact name, contact phone, pickup code or ID.")
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    actions = ["expire_past_due"]

    def has_expire_permission(self, request) -> bool:
        return request.user.has_perm("ordering.change_order")

    @admin.action(description=_("Expire every unpaid order past its payment time"), permissions=["expire"])
    def expire_past_due(self, request, queryset):
        count = bootstrap.expire_unpaid_orders()
        admin_kit.log_operator_run(
            request,
            Order,
            f"expire_unpaid_orders: {count}",
            gettext_noop("Expired the unpaid orders past due."),
        )
        text = ngettext("%(count)d order expired.", "%(count)d orders expired.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(Payment)
class PaymentAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
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
    search_help_text = _("Search by order number, transaction ID or refund ID.")
    date_hierarchy = "created_at"


@admin.register(Refund)
class RefundAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("order", "amount_fen", "requested_by_role", "requested_by", "reason", "created_at")
    references = {"requested_by": "user"}
    list_filter = ("requested_by_role", "created_at")
    search_fields = ("=id", "order__order_no", "=order__id", "=requested_by", "reason")
    search_help_text = _("Search by order number or reason.")
    list_select_related = ("order",)
    date_hierarchy = "created_at"


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("transaction_id", "order_no", "amount_fen", "status", "outcome", "received_at")
    list_filter = ("outcome", "status")
    search_fields = ("transaction_id", "order_no", "=payment__id")
    search_help_text = _("Search by transaction ID or order number.")
    date_hierarchy = "received_at"


class CartLineInline(admin_kit.ReadOnlyInline):
    model = CartLine
    fields = ("name", "goods_id", "solitaire_item_id", "price_fen", "quantity", "created_at")


@admin.register(Cart)
class CartAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("id", "customer_id", "store_id", "created_at", "updated_at")
    references = {"customer_id": "user", "store_id": "store"}
    search_fields = ("=id", "=customer_id", "=store_id")
    search_help_text = _("Search by cart, customer or store ID.")
    inlines = [CartLineInline]
