from django.contrib import admin, messages

from contexts.shared.domain.errors import DomainError
from contexts.store import bootstrap
from contexts.store.models import PickupPoint, Store


class PickupPointInline(admin.TabularInline):
    model = PickupPoint
    extra = 0
    fields = ("name", "province", "city", "district", "detail", "is_default")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("name", "owner_id", "phone", "status", "created_at")
    search_fields = ("name", "phone")
    list_filter = ("status",)
    ordering = ("-created_at",)
    # Status changes go through the freeze/unfreeze actions (services), never a raw edit.
    # The address stays read-only too: it moves the default pickup point (edit_store's rule).
    readonly_fields = (
        *("id", "owner_id", "phone", "status", "door_image_defaulted", "created_at", "updated_at"),
        *("province", "city", "district", "detail", "latitude", "longitude"),
    )
    inlines = [PickupPointInline]
    actions = ["freeze", "unfreeze"]

    def has_add_permission(self, request) -> bool:
        return False

    def _run(self, request, queryset, use_case, done: str) -> None:
        changed, refused = 0, []
        for store_id, name in queryset.values_list("id", "name"):
            try:
                use_case(store_id=store_id)
                changed += 1
            except DomainError as error:
                refused.append(f"{name}: {error.detail}")
        if changed:
            self.message_user(request, f"{changed} store(s) {done}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Freeze the selected stores")
    def freeze(self, request, queryset) -> None:
        self._run(request, queryset, bootstrap.freeze_store, "frozen")

    @admin.action(description="Unfreeze the selected stores")
    def unfreeze(self, request, queryset) -> None:
        self._run(request, queryset, bootstrap.unfreeze_store, "unfrozen")


@admin.register(PickupPoint)
class PickupPointAdmin(admin.ModelAdmin):
    list_display = ("name", "store", "city", "district", "detail", "is_default", "created_at")
    search_fields = ("name", "store__name", "detail")
    list_filter = ("is_default",)
    list_select_related = ("store",)
    readonly_fields = ("id", "store", "is_default", "created_at")

    def has_add_permission(self, request) -> bool:
        return False
