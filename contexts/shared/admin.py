"""Operators follow the events (the outbox) and their deliveries to each handler, and retry the
deliveries that used up their attempts. Events are records: never edited, never deleted."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from contexts.shared import admin_kit, eventbus
from contexts.shared.models import EventDelivery, OutboxEvent


class DeliveryInline(admin_kit.ReadOnlyInline):
    model = EventDelivery
    fields = ("handler", "status", "attempts", "next_attempt_at", "handled_at", "last_error")


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("event_type", "aggregate_type", "aggregate_id", "occurred_at", "dispatched_at")
    list_filter = ("event_type", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("=event_id", "aggregate_id", "event_type")
    search_help_text = _("Search by event type, aggregate ID or event ID.")
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin_kit.ReadOnlyAdmin):
    list_display = ("handler", "event", "status", "attempts", "next_attempt_at", "updated_at")
    list_filter = ("status", "handler")
    search_fields = ("=event__event_id", "handler", "last_error")
    search_help_text = _("Search by handler, error or event ID.")
    list_select_related = ("event",)
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("shared.retry_eventdelivery")

    @admin.action(description=_("Retry the selected failed deliveries"), permissions=["retry"])
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=EventDelivery.Status.FAILED))
        count = eventbus.retry_deliveries(delivery_ids=[delivery.pk for delivery in failed])
        admin_kit.log_operator_action(request, failed, gettext_noop("Queued the delivery again."))
        text = ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
