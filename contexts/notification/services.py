"""Use cases of notification. Best effort: a send that fails marks the notification failed
and never raises, so it can neither block an order nor fail the delivery of its event.
Framework-free: ports come in as arguments (bootstrap.py binds them by name)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from contexts.notification.contracts import RetryOutcome
from contexts.notification.domain import model
from contexts.notification.domain.model import MAX_ATTEMPTS, Notification, SendFailed
from contexts.notification.domain.ports import MessageSender, NotificationUnitOfWork
from contexts.shared.domain.ports import Clock, StoreDirectory, UserDirectory
from contexts.shared.domain.text import N_


def notify_order_paid(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    stores: StoreDirectory,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    """To the customer: the order is paid, with its sequence number in the solitaire."""
    facts = _order_facts(payload, stores) | _paid(payload)
    notification = _new(model.ORDER_PAID, event_id, payload, facts, clock)
    return _record_and_send(uow, sender, users, clock, notification)


def notify_order_completed(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    stores: StoreDirectory,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    facts = _order_facts(payload, stores) | _completed(payload)
    notification = _new(model.ORDER_COMPLETED, event_id, payload, facts, clock)
    return _record_and_send(uow, sender, users, clock, notification)


def notify_orders(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    stores: StoreDirectory,
    clock: Clock,
    template: str,
    events: Sequence[Mapping[str, Any]],
) -> list[str]:
    """notify_order_paid or notify_order_completed (`template`) of each event (`events` are its
    keyword arguments), together: one read each of the store names, the notifications made
    already and the recipients' openids, the messages handed to the channel together (best
    effort, each its own outcome), and one insert of the new notifications with their outcomes.
    The ids of the notifications made now."""
    extra = _EXTRA_FACTS[template]
    names = stores.names(sorted({event["payload"].get("store_id", "") for event in events}))
    notifications = [
        _new(
            template,
            event["event_id"],
            event["payload"],
            _order_facts(event["payload"], names) | extra(event["payload"]),
            clock,
        )
        for event in events
    ]
    with uow:
        fresh = uow.notifications.unrecorded(notifications)
        openids = users.openids(sorted({notification.recipient_user_id for notification in fresh}))
        _attempt_all(sender, openids, clock, fresh)
        uow.notifications.add_all(fresh)
        uow.commit()
    return [notification.id for notification in fresh]


def notify_order_refunded(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    stores: StoreDirectory,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    facts = _order_facts(payload, stores) | {"reason": payload.get("reason", "")}
    notification = _new(model.ORDER_REFUNDED, event_id, payload, facts, clock)
    return _record_and_send(uow, sender, users, clock, notification)


def notify_order_reminder(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    stores: StoreDirectory,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    """Staff remind the customer to pick the order up (the event carries no amount)."""
    facts = {
        "order_id": payload["order_id"],
        "order_no": payload["order_no"],
        "store_name": _store_name(payload, stores),
    }
    notification = _new(model.ORDER_REMINDER, event_id, payload, facts, clock)
    return _record_and_send(uow, sender, users, clock, notification)


def notify_settlement_completed(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    clock: Clock,
    event_id: str,
    payload: dict,
) -> str | None:
    """To the merchant's user: a settlement run settled their orders (or paid their
    commissions), with what became available."""
    facts = {
        "settlement_id": payload["settlement_id"],
        "kind": payload["kind"],
        "order_count": payload["order_count"],
        "net_fen": payload["net_fen"],
    }
    notification = Notification.new(
        recipient_user_id=payload["user_id"],
        template=model.SETTLEMENT_COMPLETED,
        payload=facts,
        source_event_id=event_id,
        reference=payload["settlement_id"],
        now=clock.now(),
    )
    return _record_and_send(uow, sender, users, clock, notification)


def retry_failed_notifications(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    clock: Clock,
    limit: int = 200,
) -> RetryOutcome:
    """The schedule's job: send again the failed notifications that have attempts left."""
    with uow:
        ids = uow.notifications.retryable_ids(max_attempts=MAX_ATTEMPTS, limit=limit)
    return _resend(uow, sender, users, clock, ids, reset=False)


def retry_notifications(
    *,
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    clock: Clock,
    notification_ids: Iterable[str],
) -> RetryOutcome:
    """An operator's retry: each chosen notification not yet sent gets a fresh round of attempts
    and is sent now."""
    return _resend(uow, sender, users, clock, [str(i) for i in notification_ids], reset=True)


def _store_name(payload: dict, stores: StoreDirectory | Mapping[str, str]) -> str:
    """ "" for an unknown store: a message is still worth sending without it. `stores` may be
    the names already read."""
    store_id = payload.get("store_id", "")
    names = stores if isinstance(stores, Mapping) else stores.names([store_id])
    return names.get(store_id, "")


def _order_facts(payload: dict, stores: StoreDirectory | Mapping[str, str]) -> dict:
    return {
        "order_id": payload["order_id"],
        "order_no": payload["order_no"],
        "store_name": _store_name(payload, stores),
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


def _paid(payload: dict) -> dict:
    return {"sequence_no": payload.get("sequence_no")}


def _completed(payload: dict) -> dict:
    return {"completed_by": payload.get("completed_by", "")}


_EXTRA_FACTS = {model.ORDER_PAID: _paid, model.ORDER_COMPLETED: _completed}


def _record_and_send(
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    clock: Clock,
    notification: Notification,
) -> str | None:
    """The notification's id; None when this event already made it (a repeated delivery)."""
    with uow:
        if not uow.notifications.add_unless_exists(notification):
            return None
        _attempt(sender, users.openid_of(notification.recipient_user_id), clock, notification)
        uow.notifications.save(notification)
        uow.commit()
    return notification.id


def _resend(
    uow: NotificationUnitOfWork,
    sender: MessageSender,
    users: UserDirectory,
    clock: Clock,
    ids: list[str],
    *,
    reset: bool,
) -> RetryOutcome:
    tried = sent = 0
    for notification_id in ids:
        # One transaction each: a slow or failing message never holds back the others.
        with uow:
            notification = uow.notifications.get_for_update(notification_id)
            if notification is None or notification.status == model.SENT:
                continue
            if reset:
                notification.reset()
            elif not notification.retryable:
                continue  # another retrier got there first
            _attempt(sender, users.openid_of(notification.recipient_user_id), clock, notification)
            uow.notifications.save(notification)
            uow.commit()
        tried += 1
        sent += notification.status == model.SENT
    return RetryOutcome(tried=tried, sent=sent)


def _attempt_all(
    sender: MessageSender, openids: Mapping[str, str], clock: Clock, notifications: list[Notification]
) -> None:
    """_attempt of each, the messages handed to the channel together."""
    reachable = []
    for notification in notifications:
        if openids.get(notification.recipient_user_id):
            reachable.append(notification)
        else:
            notification.failed(error=N_("The recipient has no WeChat openid."))
    errors = sender.send_all(
        [
            {
                "openid": openids[notification.recipient_user_id],
                "template": notification.template,
                "page": model.page_of(notification.template, notification.payload),
                "payload": notification.payload,
            }
            for notification in reachable
        ]
    )
    for notification, error in zip(reachable, errors, strict=True):
        if error:
            notification.failed(error=error)
        else:
            notification.sent(now=clock.now())


def _attempt(sender: MessageSender, openid: str | None, clock: Clock, notification: Notification) -> None:
    """Send it to `openid` (its recipient's): sent, or failed with why."""
    try:
        if not openid:
            raise SendFailed(N_("The recipient has no WeChat openid."))
        sender.send(
            openid=openid,
            template=notification.template,
            page=model.page_of(notification.template, notification.payload),
            payload=notification.payload,
        )
    except SendFailed as exc:
        notification.failed(error=str(exc))
    else:
        notification.sent(now=clock.now())
