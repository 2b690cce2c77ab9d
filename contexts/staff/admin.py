from django.contrib import admin

from contexts.staff.models import StoreMember


@admin.register(StoreMember)
class StoreMemberAdmin(admin.ModelAdmin):
    # Memberships change through the mini-program's rules (one owner, who adds whom): the
    # operator inspects them here and does not edit them around those rules.
    list_display = ("store_id", "user_id", "role", "joined_at")
    search_fields = ("store_id", "user_id")
    list_filter = ("role",)
    ordering = ("store_id", "joined_at")
    readonly_fields = ("id", "store_id", "user_id", "role", "joined_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
