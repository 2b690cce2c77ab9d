"""Notification's use cases with their adapters bound by parameter name; tasks and the admin call these."""

from contexts.notification import services
from contexts.notification.adapters.clients import WeChatSubscribeSender
from contexts.notification.adapters.orm import DjangoNotificationUow
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_directory, user_directory

globals().update(
    bind(
        services,
        uow=DjangoNotificationUow,
        sender=WeChatSubscribeSender,
        users=user_directory,
        stores=store_directory,
        clock=DjangoClock,
    )
)
