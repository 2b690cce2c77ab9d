from django.db import models


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that raised it."""

    event_id = models.UUIDField(primary_key=True)
    event_type = models.CharField(max_length=100, db_index=True)
    aggregate_type = models.CharField(max_length=100)
    aggregate_id = models.CharField(max_length=64, db_index=True)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.aggregate_type}:{self.aggregate_id}"


class EventDelivery(models.Model):
    """One event handed to one handler. `done` is written in the same transaction as the
    handler's effect, so a repeated delivery changes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    handler = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # How often its task was handed to the queue; more than the allowed attempts with no
    # outcome means the tasks were lost (see eventbus.sweep).
    dispatches = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="one_delivery_per_handler")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_retry_due")]
        verbose_name_plural = "event deliveries"

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id} ({self.status})"
