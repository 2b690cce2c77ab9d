from django.db import models


class Notification(models.Model):
    """What was sent to whom and how it went. One per (source event, template, recipient), so a
    repeated event never notifies twice."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    id = models.CharField(max_length=36, primary_key=True)
    channel = models.CharField(max_length=32, default="wechat_subscribe")
    recipient_user_id = models.CharField(max_length=36, db_index=True)
    template = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    source_event_id = models.CharField(max_length=36)
    reference = models.CharField(max_length=64, blank=True, db_index=True, help_text="The order number.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_event_id", "template", "recipient_user_id"], name="one_notification_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "attempts", "created_at"], name="notification_retry_due")]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_user_id} ({self.status})"
