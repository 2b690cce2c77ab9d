"""Read side of notification, for the operators' dashboard."""

from contexts.notification.models import Notification


def failed_count() -> int:
    """Notifications whose last send failed (the robot retries a few; operators retry the rest)."""
    return Notification.objects.filter(status=Notification.Status.FAILED).count()
