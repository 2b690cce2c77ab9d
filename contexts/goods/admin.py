from django.contrib import admin, messages

from contexts.goods import bootstrap, models


@admin.register(models.Goods)
class GoodsAdmin(admin.ModelAdmin):
    list_display = ("name", "store_id", "price_fen", "stock", "sales", "status", "updated_at")
    search_fields = ("name", "description", "=id", "=store_id")
    list_filter = ("status",)
    readonly_fields = ("id", "store_id", "sales", "created_at", "updated_at")
    list_select_related = ("category",)
    actions = ["take_off_shelf"]

    @admin.action(description="Take the selected goods off the shelf")
    def take_off_shelf(self, request, queryset):
        taken = bootstrap.take_off_shelf_by_operator(goods_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{taken} goods taken off the shelf.", messages.SUCCESS)


@admin.register(models.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "store_id", "sort")
    search_fields = ("name", "=store_id")
    ordering = ("store_id", "sort")


@admin.register(models.HotWord)
class HotWordAdmin(admin.ModelAdmin):
    list_display = ("word", "store_id", "sort")
    search_fields = ("word", "=store_id")
    ordering = ("store_id", "sort")
