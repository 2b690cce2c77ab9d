"""Use cases of notification. Best effort: a send that fails marks the notification failed
and never raises, so it can neither block an order nor fail the delivery of its event."""

from collections.abc import Callable, Iterable

from contexts.notification.contracts import RetryOutcome
from contexts.notification.domain import model
from contexts.notification.domain.model import MAX_ATTEMPTS, Notification, SendFailed
from contexts.notification.domain.ports import Clock, MessageSender, NotificationUnitOfWork, StoreNames


def notify_order_paid(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    stores: StoreNames,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    """To the customer: the order is paid, with its sequence number in the solitaire."""
    facts = _order_facts(payload, stores) | {"sequence_no": payload.get("sequence_no")}
    return _record_and_send(uow, sender, clock, _new(model.ORDER_PAID, event_id, payload, facts, clock))


def notify_order_completed(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    stores: StoreNames,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    facts = _order_facts(payload, stores) | {"completed_by": payload.get("completed_by", "")}
    return _record_and_send(uow, sender, clock, _new(model.ORDER_COMPLETED, event_id, payload, facts, clock))


def notify_order_refunded(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    stores: StoreNames,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    facts = _order_facts(payload, stores) | {"reason": payload.get("reason", "")}
    return _record_and_send(uow, sender, clock, _new(model.ORDER_REFUNDED, event_id, payload, facts, clock))


def notify_order_reminder(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    stores: StoreNames,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    """Staff remind the customer to pick the order up (the event carries no amount)."""
    facts = {
        "order_id": payload["order_id"],
        "order_no": payload["order_no"],
        "store_name": stores.name_of(payload.get("store_id", "")),
    }
    return _record_and_send(uow, sender, clock, _new(model.ORDER_REMINDER, event_id, payload, facts, clock))


def retry_failed_notifications(
    *,
    uow_factory: Callable[[], NotificationUnitOfWork],
    sender: MessageSender,
    clock: Clock,
    limit: int = 200,
) -> RetryOutcome:
    """The schedule's job: send again the failed notifications that have attempts left."""
    with uow_factory() as uow:
        ids = uow.notifications.retryable_ids(max_attempts=MAX_ATTEMPTS, limit=limit)
    return _resend(uow_factory, sender, clock, ids, reset=False)


def retry_notifications(
    *,
    uow_factory: Callable[[], NotificationUnitOfWork],
    sender: MessageSender,
    clock: Clock,
    notification_ids: Iterable[str],
) -> RetryOutcome:
    """An operator's retry: each chosen notification not yet sent gets a fresh round of attempts
    and is sent now."""
    return _resend(uow_factory, sender, clock, [str(i) for i in notification_ids], reset=True)


def _order_facts(payload: dict, stores: StoreNames) -> dict:
    return {
        "order_id": payload["order_id"],
        "order_no": payload["order_no"],
        "store_name": stores.name_of(payload.get("store_id", "")),
        "total_fen": payload.get("total_fen", 0),
    }


def _new(template: str, event_id: str, payload: dict, facts: dict, clock: Clock) -> Notification:
    return Notification.new(
        recipient_user_id=payload["customer_id"],
        template=template,
        payload=facts,
        source_event_id=event_id,
        reference=payload["order_no"],
        now=clock.now(),
    )


def _record_and_send(
    uow: NotificationUnitOfWork, sender: MessageSender, clock: Clock, notification: Notification
) -> str | None:
    """The notification's id; None when this event already made it (a repeated delivery)."""
    with uow:
        if not uow.notifications.add_unless_exists(notification):
            return None
        _attempt(sender, clock, notification)
        uow.notifications.save(notification)
        uow.commit()
    return notification.id


def _resend(
    uow_factory: Callable[[], NotificationUnitOfWork],
    sender: MessageSender,
    clock: Clock,
    ids: list[str],
    *,
    reset: bool,
) -> RetryOutcome:
    tried = sent = 0
    for notification_id in ids:
        # One transaction each: a slow or failing message never holds back the others.
        with uow_factory() as uow:
            notification = uow.notifications.get_for_update(notification_id)
            if notification is None or notification.status == model.SENT:
                continue
            if reset:
                notification.reset()
            elif not notification.retryable:
                continue  # another retrier got there first
            _attempt(sender, clock, notification)
            uow.notifications.save(notification)
            uow.commit()
        tried += 1
        sent += notification.status == model.SENT
    return RetryOutcome(tried=tried, sent=sent)


def _attempt(sender: MessageSender, clock: Clock, notification: Notification) -> None:
    try:
        sender.send(
            recipient_user_id=notification.recipient_user_id,
            template=notification.template,
            page=model.order_page(notification.payload["order_id"]),
            payload=notification.payload,
        )
    except SendFailed as exc:
        notification.failed(error=str(exc))
    else:
        notification.sent(now=clock.now())
