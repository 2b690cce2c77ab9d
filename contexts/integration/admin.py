"""What the sandbox adapters 'sent' (SMS codes, subscribe messages): testers read them here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contexts.integration.models import SandboxMessage, SandboxSms
from contexts.shared import admin_kit


@admin.register(SandboxSms)
class SandboxSmsAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("phone", "purpose", "code", "sent_at")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    search_help_text = _("Search by phone.")
    date_hierarchy = "sent_at"


@admin.register(SandboxMessage)
class SandboxMessageAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("template_id", "touser", "page", "sent_at")
    list_filter = ("template_id",)
    search_fields = ("touser", "page")
    search_help_text = _("Search by recipient openid or page.")
    date_hierarchy = "sent_at"
