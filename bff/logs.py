"""The request id on every log line: a context variable that the request middleware
(bff/observability.py) sets for the time of a request, and a django-q2 worker for the time of
a task the request queued; the logging filter of settings.LOGGING copies it onto each record.

Imported by the logging configuration, before Django's apps are ready: the standard library only."""

import contextvars
import logging

NONE = "-"
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NONE)


class RequestIdFilter(logging.Filter):
    """On the console handler: every record that reaches it, from any logger, gets `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
