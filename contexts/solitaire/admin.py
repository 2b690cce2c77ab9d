"""Operators inspect solitaires (items inline), participations and stock releases. Everything
is read-only: stock moves only through joins and order events, and the merchant's edits follow
the solitaire's rules; the one correction, closing a solitaire, goes through its service."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.shared import admin_kit
from contexts.solitaire import bootstrap
from contexts.solitaire.models import Participation, Solitaire, SolitaireItem, StockRelease


def solitaire_titles(ids: list[str]) -> dict[str, str]:
    return dict(Solitaire.objects.filter(pk__in=ids).values_list("id", "title"))


admin_kit.register_kind("solitaire", url_name="admin:solitaire_solitaire_change", names=solitaire_titles)


class SolitaireItemInline(admin_kit.ReadOnlyInline):
    model = SolitaireItem
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


@admin.register(Solitaire)
class SolitaireAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("title", "store_id", "status", "start_at", "end_at", "created_at")
    references = {"store_id": "store"}
    list_filter = ("status", "start_at")
    search_fields = ("=id", "title", "=store_id")
    search_help_text = _("Search by title, solitaire ID or store ID.")
    date_hierarchy = "start_at"
    inlines = [SolitaireItemInline]
    actions = ["close_selected"]

    def has_close_permission(self, request) -> bool:
        return request.user.has_perm("solitaire.change_solitaire")

    @admin.action(description=_("Close the selected published solitaires"), permissions=["close"])
    def close_selected(self, request, queryset):
        chosen = list(queryset.filter(status=Solitaire.Status.PUBLISHED))
        closed = bootstrap.close_by_operator(solitaire_ids=[solitaire.pk for solitaire in chosen])
        admin_kit.log_operator_action(request, chosen, gettext_noop("Closed the solitaire."))
        text = ngettext("%(count)d solitaire closed.", "%(count)d solitaires closed.", closed)
        self.message_user(request, text % {"count": closed}, messages.SUCCESS)


@admin.register(Participation)
class ParticipationAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("sequence_no", "solitaire", "order_id", "customer_id", "joined_at", "refunded_at")
    references = {"order_id": "order", "customer_id": "user"}
    list_filter = (("refunded_at", admin.EmptyFieldListFilter),)
    search_fields = ("=order_id", "=customer_id", "=solitaire__id", "solitaire__title")
    search_help_text = _("Search by solitaire title, order ID or customer ID.")
    list_select_related = ("solitaire",)
    ordering = ("solitaire", "sequence_no")


@admin.register(StockRelease)
class StockReleaseAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("order_id", "solitaire_id", "reason", "released_at")
    list_display_links = ("released_at",)
    references = {"order_id": "order", "solitaire_id": "solitaire"}
    list_filter = ("reason",)
    search_fields = ("=order_id", "=solitaire_id")
    search_help_text = _("Search by order ID or solitaire ID.")
