from django.contrib import admin, messages

from contexts.shared import eventbus
from contexts.shared.models import EventDelivery, OutboxEvent


class DeliveryInline(admin.TabularInline):
    model = EventDelivery
    extra = 0
    can_delete = False
    fields = ("handler", "status", "attempts", "next_attempt_at", "handled_at")
    readonly_fields = fields


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("event_type", "aggregate_type", "aggregate_id", "occurred_at", "dispatched_at")
    list_filter = ("event_type", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("event_id", "aggregate_id", "event_type")
    date_hierarchy = "occurred_at"
    inlines = [DeliveryInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EventDelivery)
class EventDeliveryAdmin(admin.ModelAdmin):
    list_display = ("handler", "event", "status", "attempts", "next_attempt_at", "updated_at")
    list_filter = ("status", "handler")
    search_fields = ("event__event_id", "handler", "last_error")
    list_select_related = ("event",)
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Retry the selected failed deliveries")
    def retry(self, request, queryset):
        count = eventbus.retry_deliveries(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} deliveries queued again.", messages.SUCCESS)
