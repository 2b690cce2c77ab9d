from django.contrib import admin, messages

from contexts.notification import bootstrap
from contexts.notification.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "template",
        "recipient_user_id",
        "reference",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "template", "channel")
    search_fields = ("=id", "=recipient_user_id", "reference", "=source_event_id", "error")
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected notifications now")
    def retry(self, request, queryset):
        outcome = bootstrap.retry_notifications(notification_ids=list(queryset.values_list("pk", flat=True)))
        level = messages.SUCCESS if outcome.sent == outcome.tried else messages.WARNING
        self.message_user(request, f"{outcome.tried} notifications retried, {outcome.sent} sent.", level)
