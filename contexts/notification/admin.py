"""Operators follow the messages sent to customers and merchants, and retry failed ones (through
notification's use case)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.notification import bootstrap
from contexts.notification.models import Notification
from contexts.shared import admin_kit


@admin.register(Notification)
class NotificationAdmin(admin_kit.ReadOnlyAdmin):
    list_display = (
        "template",
        "recipient_user_id",
        "reference",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    )
    references = {"recipient_user_id": "user"}
    list_filter = ("status", "template", "channel")
    search_fields = ("=id", "=recipient_user_id", "reference", "=source_event_id", "error")
    search_help_text = _("Search by order number, error, recipient ID or event ID.")
    date_hierarchy = "created_at"
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notification.retry_notification")

    @admin.action(description=_("Retry the selected notifications now"), permissions=["retry"])
    def retry(self, request, queryset):
        chosen = list(queryset.exclude(status=Notification.Status.SENT))
        outcome = bootstrap.retry_notifications(notification_ids=[n.pk for n in chosen])
        admin_kit.log_operator_action(request, chosen, gettext_noop("Retried the notification."))
        level = messages.SUCCESS if outcome.sent == outcome.tried else messages.WARNING
        text = ngettext(
            "%(tried)d notification retried, %(sent)d sent.",
            "%(tried)d notifications retried, %(sent)d sent.",
            outcome.tried,
        )
        self.message_user(request, text % {"tried": outcome.tried, "sent": outcome.sent}, level)
