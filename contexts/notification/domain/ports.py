"""South ports of notification: its repository and the channel that sends. Store names and
openids come from the kernel's StoreDirectory and UserDirectory."""

import abc

from contexts.notification.domain.model import Notification, SendFailed
from contexts.shared.domain.ports import Repository, UnitOfWork


class NotificationRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def add_unless_exists(self, notification: Notification) -> bool:
        """Add it unless one with the same (source_event_id, template, recipient) exists; True
        when added. A repeated event therefore creates no second notification."""

    def unrecorded(self, notifications: list[Notification]) -> list[Notification]:
        """Those of `notifications` no notification of the same (source_event_id, template,
        recipient) exists for yet, the first of each such key."""
        seen, fresh = set(), []
        for notification in notifications:
            key = (notification.source_event_id, notification.template, notification.recipient_user_id)
            if key not in seen and not self.exists(*key):
                seen.add(key)
                fresh.append(notification)
        return fresh

    @abc.abstractmethod
    def exists(self, source_event_id: str, template: str, recipient_user_id: str) -> bool: ...

    def add_all(self, notifications: list[Notification]) -> None:
        """Add notifications none of which exists (see unrecorded), as they are."""
        for notification in notifications:
            if not self.add_unless_exists(notification):
                raise RuntimeError(f"notification of event {notification.source_event_id} exists already")

    @abc.abstractmethod
    def get_for_update(self, notification_id: str) -> Notification | None:
        """Load it, locked until the unit of work ends (two retriers never send it twice)."""

    @abc.abstractmethod
    def save(self, notification: Notification) -> None: ...

    @abc.abstractmethod
    def retryable_ids(self, *, max_attempts: int, limit: int) -> list[str]:
        """Failed notifications with fewer than `max_attempts`, oldest first."""


class NotificationUnitOfWork(UnitOfWork, abc.ABC):
    notifications: NotificationRepository


class MessageSender(abc.ABC):
    @abc.abstractmethod
    def send(self, *, openid: str, template: str, page: str, payload: dict) -> None:
        """Send to the WeChat user `openid`; raises model.SendFailed, and nothing else, when it did not go."""

    def send_all(self, messages: list[dict]) -> list[str]:
        """send() of each (`messages` are its keyword arguments): per message, "" when it went,
        else why not. Never raises."""
        errors = []
        for message in messages:
            try:
                self.send(**message)
            except SendFailed as exc:
                errors.append(str(exc))
            else:
                errors.append("")
        return errors
