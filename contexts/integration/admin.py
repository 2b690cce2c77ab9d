from django.contrib import admin

from contexts.integration.models import SandboxMessage, SandboxSms


@admin.register(SandboxSms)
class SandboxSmsAdmin(admin.ModelAdmin):
    list_display = ("phone", "purpose", "code", "sent_at")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SandboxMessage)
class SandboxMessageAdmin(admin.ModelAdmin):
    list_display = ("template_id", "touser", "page", "sent_at")
    list_filter = ("template_id",)
    search_fields = ("touser", "page")
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
