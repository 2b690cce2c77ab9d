"""Two failures for the demo (seed_demo), so a new operator has something to fix in the back
office: a failed event delivery to retry, and a failed notification to retry.

Both are real failures through the real machinery; only their cause is staged. `handler_down`
makes one event handler raise, as if what it calls did not answer, while the block runs, then
lets the robot's sweep try it again until its attempts are used up (each try fails the same
way), so the delivery ends `failed` with its error, as it would after a long outage.
`sandbox_refusing_messages` turns the sandbox's NOTIFICATION_SANDBOX_FAIL on meanwhile."""

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from contexts.shared import eventbus


def _unreachable(event) -> None:
    raise ConnectionError("demo: the WeChat subscribe-message service did not answer (seed_demo)")


@contextmanager
def handler_down(handler: str):
    """Inside the block, every delivery to `handler` fails; at its end, the deliveries the block
    left pending are retried (the sweep, as if a day had passed) until they are `failed`."""
    real = eventbus.resolve
    quiet = logging.getLogger(eventbus.__name__)
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # the demo's staged tracebacks would only be noise
    down = {handler, eventbus.batch_form(handler)} - {""}  # a lone event goes to the batch form too
    eventbus.resolve = lambda path: _unreachable if path in down else real(path)
    try:
        yield
        for _attempt in range(settings.EVENT_HANDLER_MAX_ATTEMPTS):
            eventbus.sweep(now=timezone.now() + timedelta(days=1))
    finally:
        eventbus.resolve = real
        quiet.setLevel(level)


def sandbox_refusing_messages():
    return override_settings(NOTIFICATION_SANDBOX_FAIL=True)
