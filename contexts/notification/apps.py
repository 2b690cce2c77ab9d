from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RETRY_EVERY_MINUTES = 5


class NotificationConfig(AppConfig):
    name = "contexts.notification"
    label = "notification"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from contexts.notification import subscribers  # noqa: F401
        from contexts.shared import schedules

        schedules.register(
            "notification.retry_failed",
            "contexts.notification.tasks.retry_failed_notifications",
            minutes=RETRY_EVERY_MINUTES,
        )
