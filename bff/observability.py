"""One log line per request and its metrics, with a request id that follows the request into
its log lines and into the django-q2 tasks it queues.

The id is the client's `X-Request-ID` when it is a sane token (a proxy or the mini-program may
set one), a fresh one otherwise; the response carries it back. The line names the method, the
path (never the query string, which may hold a phone number), the status, the duration, the
user's id and the request id; as JSON fields with LOG_FORMAT=json."""

import logging
import re
import time
import uuid

from bff import metrics
from bff.logs import NONE, request_id

log = logging.getLogger("groupbuy.request")
GIVEN_ID = re.compile(r"[\w.:/+=-]{1,128}", re.ASCII)


class RequestLogMiddleware:
    """The outermost middleware, so that its duration and status are what the client got."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.recording = metrics.recording()

    def __call__(self, request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        token = request_id.set(given if GIVEN_ID.fullmatch(given) else uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response["X-Request-ID"] = request_id.get()
            status = response.status_code
            user_id = _user_id(request)
            log.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s %.1fms user=%s",
                request.method,
                request.path,
                status,
                seconds * 1000,
                user_id or NONE,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": user_id,
                },
            )
            if self.recording:
                metrics.observe(request, status, seconds)
            return response
        finally:
            request_id.reset(token)


def _user_id(request) -> str | None:
    """The authenticated user's id: DRF sets request.user on the request it wraps (None when
    anonymous); the admin's session user otherwise."""
    user = getattr(request, "user", None)
    found = getattr(user, "id", None) if user is not None else None
    return str(found) if found is not None else None


def stamp_task(sender, task: dict, **_kwargs) -> None:
    """django-q2's pre_enqueue: the task carries the id of the request that queued it."""
    current = request_id.get()
    if current != NONE:
        task["request_id"] = current


def adopt_task_id(sender, task: dict, **_kwargs) -> None:
    """pre_execute, in a worker: the task's log lines carry its request's id. (A task run inline,
    in the tests' sync mode, is inside its request already.)"""
    if not task.get("sync"):
        request_id.set(task.get("request_id", NONE))


def drop_task_id(sender, task: dict, **_kwargs) -> None:
    """post_execute_in_worker: the worker's own lines, until the next task, carry none."""
    if not task.get("sync"):
        request_id.set(NONE)
