"""Operators inspect solitaires (items inline), participations and stock releases. Everything
is read-only: stock moves only through joins and order events, and the merchant's edits follow
the solitaire's rules; the one correction, closing a solitaire, goes through its service."""

from django.contrib import admin, messages

from contexts.solitaire import bootstrap
from contexts.solitaire.models import Participation, Solitaire, SolitaireItem, StockRelease


class SolitaireItemInline(admin.TabularInline):
    model = SolitaireItem
    extra = 0
    can_delete = False
    fields = (
        "name",
        "goods_id",
        "price_fen",
        "base_price_fen",
        "stock",
        "sold",
        "per_customer_limit",
        "position",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Solitaire)
class SolitaireAdmin(admin.ModelAdmin):
    list_display = ("title", "store_id", "status", "start_at", "end_at", "created_at")
    list_filter = ("status", "store_id")
    search_fields = ("id", "title", "store_id")
    date_hierarchy = "start_at"
    inlines = [SolitaireItemInline]
    actions = ["close_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # solitaires are made by merchants, with goods snapshots

    def has_delete_permission(self, request, obj=None):
        return False  # orders and participations point at it

    @admin.action(description="Close the selected published solitaires")
    def close_selected(self, request, queryset):
        closed = bootstrap.close_by_operator(solitaire_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{closed} solitaire(s) closed.", messages.SUCCESS)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("solitaire", "sequence_no", "order_id", "customer_id", "joined_at", "refunded_at")
    list_filter = (("refunded_at", admin.EmptyFieldListFilter),)
    search_fields = ("order_id", "customer_id", "solitaire__id", "solitaire__title")
    list_select_related = ("solitaire",)
    ordering = ("solitaire", "sequence_no")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(StockRelease)
class StockReleaseAdmin(admin.ModelAdmin):
    list_display = ("order_id", "solitaire_id", "reason", "released_at")
    list_filter = ("reason",)
    search_fields = ("order_id", "solitaire_id")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
