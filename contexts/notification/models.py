from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """What was sent to whom and how it went. One per (source event, template, recipient), so a
    repeated event never notifies twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    id = models.CharField(_("ID"), max_length=36, primary_key=True)
    channel = models.CharField(
        _("channel"),
        max_length=32,
        default="wechat_subscribe",
        choices=[("wechat_subscribe", _("WeChat subscribe message"))],
    )
    recipient_user_id = models.CharField(_("recipient"), max_length=36, db_index=True)
    template = models.CharField(
        _("template"),
        max_length=32,
        choices=[
            ("order_paid", _("order paid")),
            ("order_completed", _("order completed")),
            ("order_refunded", _("order refunded")),
            ("order_reminder", _("pickup reminder")),
            ("settlement_completed", _("settlement completed")),
        ],
    )
    payload = models.JSONField(_("payload"), default=dict)
    source_event_id = models.CharField(_("source event"), max_length=36)
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, db_index=True, help_text=_("The order number.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        permissions = [("retry_notification", _("Can retry failed notifications"))]
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_event_id", "template", "recipient_user_id"], name="one_notification_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "attempts", "created_at"], name="notification_retry_due")]

    def __str__(self) -> str:
        subject = self.reference or self.recipient_user_id[:8]
        return f"{self.get_template_display()} → {subject} ({self.get_status_display()})"
