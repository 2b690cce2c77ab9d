from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that raised it."""

    event_id = models.UUIDField(_("event ID"), primary_key=True)
    event_type = models.CharField(_("event type"), max_length=100, db_index=True)
    aggregate_type = models.CharField(_("aggregate type"), max_length=100)
    aggregate_id = models.CharField(_("aggregate ID"), max_length=64, db_index=True)
    payload = models.JSONField(_("payload"))
    occurred_at = models.DateTimeField(_("occurred at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_undispatched",
                condition=models.Q(dispatched_at__isnull=True),
            ),
            # Retention (retention.py) finds what was dispatched before its cutoff.
            models.Index(fields=["dispatched_at"], name="outbox_dispatched_at"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} · {self.aggregate_type} {self.aggregate_id[:8]}"


class EventDelivery(models.Model):
    """One event handed to one handler. `done` is written in the same transaction as the
    handler's effect, so a repeated delivery changes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    # No index of its own: the unique (event, handler) constraint leads with it.
    event = models.ForeignKey(
        OutboxEvent,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    handler = models.CharField(_("handler"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # How often its task was handed to the queue; more than the allowed attempts with no
    # outcome means the tasks were lost (see eventbus.sweep).
    dispatches = models.PositiveIntegerField(_("dispatches"), default=1)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event delivery")
        verbose_name_plural = _("event deliveries")
        permissions = [("retry_eventdelivery", _("Can retry failed event deliveries"))]
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="one_delivery_per_handler")]
        indexes = [
            # Small partial indexes: the sweeper reads the pending ones that are due, the health
            # check the oldest pending one, retention the done ones before its cutoff; millions
            # of done rows never enter the first.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["handled_at"], name="delivery_done_at", condition=models.Q(status="done")),
            # A delivery task takes the pending ones waiting for their tasks in id order
            # (eventbus.deliver_batch): read in order, a few at a time, done rows never read.
            models.Index(fields=["id"], name="delivery_pending_by_id", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.handler.rpartition('.')[2]} ← {self.event_id} ({self.get_status_display()})"


class ClusterHeartbeat(models.Model):
    """A qcluster's last sign of life, written by its sentinel every few seconds and whenever
    its status changes (adapters/cluster.py). django-q2 keeps its own cluster status in the
    cache, per process with the local-memory default: the database is the one place every web
    process and every cluster share."""

    cluster_id = models.UUIDField(primary_key=True)
    name = models.CharField(max_length=100)  # django-q2's humanized name, as its log shows it
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    status = models.CharField(max_length=10)  # starting, idle, working, stopping, stopped
    workers = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name} on {self.host} ({self.status})"
