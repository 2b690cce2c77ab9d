"""Operators look at stores and their pickup points, and freeze or unfreeze stores (through the
store's use cases). A store is frozen, never deleted: orders, money and staff point at it."""

from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from contexts.shared import admin_kit
from contexts.shared.domain.errors import DomainError
from contexts.shared.domain.text import render
from contexts.store import bootstrap, queries
from contexts.store.models import PickupPoint, Store


def pickup_point_names(ids: list[str]) -> dict[str, str]:
    return dict(PickupPoint.objects.filter(pk__in=ids).values_list("id", "name"))


admin_kit.register_kind("store", url_name="admin:store_store_change", names=queries.store_names)
admin_kit.register_kind("pickup_point", url_name="admin:store_pickuppoint_change", names=pickup_point_names)


class PickupPointInline(admin_kit.ReadOnlyInline):
    model = PickupPoint
    fields = ("name", "province", "city", "district", "detail", "is_default")


@admin.register(Store)
class StoreAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("name", "owner_id", "phone", "city", "district", "status", "created_at")
    references = {"owner_id": "user"}
    search_fields = ("name", "phone", "=id")
    search_help_text = _("Search by store name, phone or ID.")
    list_filter = ("status", "created_at")
    date_hierarchy = "created_at"
    inlines = [PickupPointInline]
    actions = ["freeze", "unfreeze"]

    def has_freeze_permission(self, request) -> bool:
        return request.user.has_perm("store.freeze_store")

    def _run(self, request, queryset, use_case, done, logged: str) -> None:
        changed, refused = [], []
        for store in queryset:
            try:
                use_case(store_id=store.pk)
                changed.append(store)
            except DomainError as error:
                refused.append(f"{store.name}: {render(error.detail, gettext)}")
        admin_kit.log_operator_action(request, changed, logged)
        if changed:
            self.message_user(request, done(len(changed)), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Freeze the selected stores"), permissions=["freeze"])
    def freeze(self, request, queryset) -> None:
        def done(count):
            return ngettext("%(count)d store frozen.", "%(count)d stores frozen.", count) % {"count": count}

        self._run(request, queryset, bootstrap.freeze_store, done, gettext_noop("Froze the store."))

    @admin.action(description=_("Unfreeze the selected stores"), permissions=["freeze"])
    def unfreeze(self, request, queryset) -> None:
        def done(count):
            return ngettext("%(count)d store unfrozen.", "%(count)d stores unfrozen.", count) % {
                "count": count
            }

        self._run(request, queryset, bootstrap.unfreeze_store, done, gettext_noop("Unfroze the store."))


@admin.register(PickupPoint)
class PickupPointAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("name", "store", "city", "district", "detail", "is_default", "created_at")
    search_fields = ("name", "store__name", "detail")
    search_help_text = _("Search by pickup point, store name or address.")
    list_filter = ("is_default",)
    list_select_related = ("store",)
