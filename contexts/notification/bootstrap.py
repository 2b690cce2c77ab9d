"""The one place choosing notification's adapters; tasks and the admin call these use cases."""

from collections.abc import Iterable

from contexts.notification import services
from contexts.notification.adapters.clients import StoreNames, WeChatSubscribeSender
from contexts.notification.adapters.orm import DjangoClock, DjangoNotificationUow
from contexts.notification.contracts import RetryOutcome

clock = DjangoClock()


def _ports() -> dict:
    return {
        "uow": DjangoNotificationUow(),
        "sender": WeChatSubscribeSender(),
        "stores": StoreNames(),
        "clock": clock,
    }


def notify_order_paid(*, event_id: str, payload: dict) -> str | None:
    return services.notify_order_paid(event_id=event_id, payload=payload, **_ports())


def notify_order_completed(*, event_id: str, payload: dict) -> str | None:
    return services.notify_order_completed(event_id=event_id, payload=payload, **_ports())


def notify_order_refunded(*, event_id: str, payload: dict) -> str | None:
    return services.notify_order_refunded(event_id=event_id, payload=payload, **_ports())


def notify_order_reminder(*, event_id: str, payload: dict) -> str | None:
    return services.notify_order_reminder(event_id=event_id, payload=payload, **_ports())


def retry_failed_notifications() -> RetryOutcome:
    return services.retry_failed_notifications(
        uow_factory=DjangoNotificationUow, sender=WeChatSubscribeSender(), clock=clock
    )


def retry_notifications(*, notification_ids: Iterable[str]) -> RetryOutcome:
    return services.retry_notifications(
        uow_factory=DjangoNotificationUow,
        sender=WeChatSubscribeSender(),
        clock=clock,
        notification_ids=notification_ids,
    )
