"""The optional error reporter: Sentry (sentry-sdk, with its Django integration) when SENTRY_DSN
is set. Unhandled errors of requests and tasks and every ERROR log record become events, tagged
with the request id of the log lines (bff/logs.py).

No personal data leaves: no user, address or cookies (the SDK's default: neither
send_default_pii nor data_collection turns them on), no request body
(the contact's phone, the address), no local variables of the frames (a token, a phone), no
query string; headers only from a short allow-list; and whatever text remains — an exception's
message, a log line — has mainland mobile numbers and bearer tokens masked."""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import EventScrubber

from bff.logs import NONE, request_id

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',]+")
SAFE_HEADERS = frozenset({"content-type", "content-length", "host", "user-agent", "x-request-id"})


def init_sentry(dsn: str, *, environment: str, **options) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        max_request_body_size="never",
        include_local_variables=False,
        event_scrubber=EventScrubber(recursive=True),
        before_send=scrub,
        before_breadcrumb=lambda crumb, _hint: _masked(crumb),
        **options,
    )


def scrub(event: dict, _hint: dict) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        for private in ("data", "cookies", "query_string", "env"):
            request.pop(private, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
    current = request_id.get()
    if current != NONE:
        event.setdefault("tags", {})["request_id"] = current
    return _masked(event)


def _masked(value):
    if isinstance(value, str):
        return BEARER.sub(r"\1[token]", PHONE.sub("[phone]", value))
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value
