from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contexts.shared import admin_kit
from contexts.staff.models import StoreMember


@admin.register(StoreMember)
class StoreMemberAdmin(admin_kit.ReadOnlyAdmin):
    # Memberships change through the mini-program's rules (one owner, who adds whom): the
    # operator inspects them here and does not edit them around those rules.
    list_display = ("user_id", "store_id", "role", "joined_at")
    list_display_links = ("joined_at",)
    references = {"store_id": "store", "user_id": "user"}
    search_fields = ("=store_id", "=user_id")
    search_help_text = _("Search by store ID or user ID.")
    list_filter = ("role",)
    ordering = ("store_id", "joined_at")
