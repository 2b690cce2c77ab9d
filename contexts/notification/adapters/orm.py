"""The notification repository and unit of work on Django's ORM."""

from django.db import IntegrityError, transaction

from contexts.notification import models
from contexts.notification.domain import ports
from contexts.notification.domain.model import FAILED, Notification
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork

COLUMNS = ("status", "attempts", "error", "sent_at", "payload")


def notification_from_row(row: models.Notification) -> Notification:
    return Notification(
        id=row.id,
        channel=row.channel,
        recipient_user_id=row.recipient_user_id,
        template=row.template,
        payload=dict(row.payload or {}),
        source_event_id=row.source_event_id,
        reference=row.reference,
        status=row.status,
        attempts=row.attempts,
        error=row.error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


class DjangoNotificationRepository(ports.NotificationRepository):
    def add_unless_exists(self, notification: Notification) -> bool:
        key = {
            "source_event_id": notification.source_event_id,
            "template": notification.template,
            "recipient_user_id": notification.recipient_user_id,
        }
        if models.Notification.objects.filter(**key).exists():
            return False
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
                models.Notification.objects.create(
                    id=notification.id,
                    channel=notification.channel,
                    payload=notification.payload,
                    reference=notification.reference,
                    status=notification.status,
                    attempts=notification.attempts,
                    error=notification.error,
                    created_at=notification.created_at,
                    sent_at=notification.sent_at,
                    **key,
                )
        except IntegrityError:
            return False
        return True

    def exists(self, source_event_id: str, template: str, recipient_user_id: str) -> bool:
        return models.Notification.objects.filter(
            source_event_id=source_event_id, template=template, recipient_user_id=recipient_user_id
        ).exists()

    def unrecorded(self, notifications: list[Notification]) -> list[Notification]:
        events = {notification.source_event_id for notification in notifications}
        recorded = set(
            models.Notification.objects.filter(source_event_id__in=events).values_list(
                "source_event_id", "template", "recipient_user_id"
            )
        )
        fresh = []
        for notification in notifications:
            key = (notification.source_event_id, notification.template, notification.recipient_user_id)
            if key not in recorded:
                recorded.add(key)
                fresh.append(notification)
        return fresh

    def add_all(self, notifications: list[Notification]) -> None:
        sql.insert(
            models.Notification,
            [
                {
                    "id": notification.id,
                    "channel": notification.channel,
                    "recipient_user_id": notification.recipient_user_id,
                    "template": notification.template,
                    "payload": notification.payload,
                    "source_event_id": notification.source_event_id,
                    "reference": notification.reference,
                    "status": notification.status,
                    "attempts": notification.attempts,
                    "error": notification.error,
                    "created_at": notification.created_at,
                    "sent_at": notification.sent_at,
                }
                for notification in notifications
            ],
        )

    def get_for_update(self, notification_id: str) -> Notification | None:
        row = models.Notification.objects.select_for_update().filter(pk=str(notification_id)).first()
        return notification_from_row(row) if row else None

    def save(self, notification: Notification) -> None:
        models.Notification.objects.filter(pk=notification.id).update(
            **{column: getattr(notification, column) for column in COLUMNS}
        )

    def retryable_ids(self, *, max_attempts: int, limit: int) -> list[str]:
        return list(
            models.Notification.objects.filter(status=FAILED, attempts__lt=max_attempts)
            .order_by("created_at", "id")
            .values_list("id", flat=True)[:limit]
        )


class DjangoNotificationUow(DjangoUnitOfWork, ports.NotificationUnitOfWork):
    def __init__(self) -> None:
        self.notifications = DjangoNotificationRepository()
