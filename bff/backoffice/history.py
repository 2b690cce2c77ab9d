"""The admin history (LogEntry) as a list of its own: who did what, when, to which object.
Operators' actions write it (contexts.shared.admin_kit.log_operator_action); it is never edited."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AdminHistoryAdmin(admin.ModelAdmin):
    list_display = ("action_time", "user", "action_flag", "content_type", "object_link", "message")
    list_filter = ("action_flag", "content_type", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "change_message", "user__username", "user__nickname")
    search_help_text = _("Search by object, message or user name.")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")
    list_display_links = ("action_time",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("object"), ordering="object_repr")
    def object_link(self, entry: LogEntry):
        url = entry.get_admin_url()
        return format_html('<a href="{}">{}</a>', url, entry.object_repr) if url else entry.object_repr

    @admin.display(description=_("message"))
    def message(self, entry: LogEntry) -> str:
        # Operators' actions store an English msgid; Django's own edits a translated JSON message.
        text = entry.get_change_message()
        return gettext(text) if text else ""  # gettext("") would be the catalog's header
