"""Operators look at every store's goods, categories and hot words; goods change through the
merchants' use cases. The one correction, taking goods off the shelf, goes through goods'."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.goods import bootstrap, models
from contexts.shared import admin_kit


@admin.register(models.Goods)
class GoodsAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("name", "store_id", "price_fen", "stock", "sales", "category", "status", "updated_at")
    references = {"store_id": "store"}
    search_fields = ("name", "description", "=id", "=store_id")
    search_help_text = _("Search by goods name, description or ID.")
    list_filter = ("status",)
    list_select_related = ("category",)
    actions = ["take_off_shelf"]

    def has_take_off_permission(self, request) -> bool:
        return request.user.has_perm("goods.change_goods")

    @admin.action(description=_("Take the selected goods off the shelf"), permissions=["take_off"])
    def take_off_shelf(self, request, queryset):
        chosen = list(queryset.filter(status=models.Goods.Status.ON_SALE))
        taken = bootstrap.take_off_shelf_by_operator(goods_ids=[goods.pk for goods in chosen])
        admin_kit.log_operator_action(request, chosen, gettext_noop("Took the goods off the shelf."))
        text = ngettext("%(count)d goods taken off the shelf.", "%(count)d goods taken off the shelf.", taken)
        self.message_user(request, text % {"count": taken}, messages.SUCCESS)


@admin.register(models.Category)
class CategoryAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("name", "store_id", "sort")
    references = {"store_id": "store"}
    search_fields = ("name", "=store_id")
    search_help_text = _("Search by category name or store ID.")
    ordering = ("store_id", "sort")


@admin.register(models.HotWord)
class HotWordAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("word", "store_id", "sort")
    references = {"store_id": "store"}
    search_fields = ("word", "=store_id")
    search_help_text = _("Search by word or store ID.")
    ordering = ("store_id", "sort")
