"""Logs (settings.LOGGING, bff/observability.py): one line per request with its method, path,
status, duration, user and request id; every message once; JSON with LOG_FORMAT=json; the
request id on the lines written during the request and in the tasks it queues.

`log_lines` configures logging exactly as settings.LOGGING does, with the console handler
writing into a buffer instead of stderr, and gives the lines written since."""

import copy
import io
import json
import logging
import re
import sys
from multiprocessing import Queue, Value

import pytest
from django.test import override_settings
from django.utils.log import configure_logging
from django_q.brokers.orm import ORM
from django_q.models import OrmQ
from django_q.signing import SignedPackage
from django_q.tasks import async_task
from django_q.worker import worker

from bff.logs import request_id

pytestmark = pytest.mark.django_db

TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<logger>\S+) \[(?P<request_id>[^\]]+)\] "
    r"(?P<message>.*)$"
)


@pytest.fixture
def log_lines(settings, monkeypatch):
    buffers = {}

    def configure(log_format: str = "text"):
        """As Django sets logging up (its defaults, then settings.LOGGING), every handler that
        writes to stderr writing into the buffer instead."""
        config = copy.deepcopy(settings.LOGGING)
        config["handlers"]["console"]["formatter"] = log_format
        buffers["out"] = io.StringIO()
        monkeypatch.setattr(sys, "stderr", buffers["out"])
        configure_logging(settings.LOGGING_CONFIG, config)

    def lines() -> list[str]:
        return buffers["out"].getvalue().splitlines()

    lines.configure = configure
    configure()
    yield lines
    monkeypatch.undo()
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_a_request_leaves_one_line_with_its_id_user_status_and_duration(user_client, log_lines):
    # given a logged-in customer
    client, user = user_client("alice")
    log_lines.configure()
    # when they read themselves, naming the request
    response = client.get("/api/v1/me?phone=13800000000", HTTP_X_REQUEST_ID="mini-7f3a.42")
    # then the answer carries the id back, and one line tells the request (no query string)
    assert (response.status_code, response["X-Request-ID"]) == (200, "mini-7f3a.42")
    [line] = log_lines()
    found = TEXT_LINE.match(line).groupdict()
    assert (found["level"], found["logger"], found["request_id"]) == (
        "INFO",
        "groupbuy.request",
        "mini-7f3a.42",
    )
    assert re.fullmatch(rf"GET /api/v1/me 200 \d+\.\dms user={user['id']}", found["message"]), line


@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 129, "引号"])
def test_without_a_usable_request_id_one_is_made_and_returned(api_client, log_lines, given):
    headers = {} if given is None else {"HTTP_X_REQUEST_ID": given}
    response = api_client.get("/api/v1/no-such-thing", **headers)
    made = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    [line] = log_lines()
    found = TEXT_LINE.match(line).groupdict()
    assert (found["request_id"], found["message"].split()[:3]) == (
        made,
        ["GET", "/api/v1/no-such-thing", "404"],
    )
    assert found["message"].endswith("user=-")


def test_a_refused_request_is_one_line_not_a_warning_besides(user_client, log_lines):
    # given a customer sending an order with no lines (400) and one for nothing (404), with DEBUG
    # on (where Django's own handler used to write every django.* message a second time)
    client, _user = user_client("bob")
    log_lines.configure()
    with override_settings(DEBUG=True):
        bad = client.post("/api/v1/orders", {"lines": []}, format="json")
        missing = client.get("/api/v1/orders/no-such-order")
    # then one line each, the request's
    assert (bad.status_code, missing.status_code) == (400, 404)
    messages = [TEXT_LINE.match(line)["message"].split()[:3] for line in log_lines()]
    assert messages == [["POST", "/api/v1/orders", "400"], ["GET", "/api/v1/orders/no-such-order", "404"]]


def test_a_message_of_django_is_written_once_also_with_debug(log_lines, settings):
    settings.DEBUG = True
    logging.getLogger("django.request").error("Internal Server Error: /api/v1/x")
    logging.getLogger("django.db.backends").warning("slow")
    assert [TEXT_LINE.match(line)["message"] for line in log_lines()] == [
        "Internal Server Error: /api/v1/x",
        "slow",
    ]


def test_with_log_format_json_each_line_is_one_json_object(user_client, log_lines):
    client, user = user_client("carol")
    log_lines.configure("json")
    response = client.get("/api/v1/me", HTTP_X_REQUEST_ID="req-1")
    [line] = log_lines()
    entry = json.loads(line)
    assert response.status_code == 200
    assert isinstance(entry.pop("duration_ms"), float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", entry.pop("time"))
    assert entry == {
        "level": "INFO",
        "logger": "groupbuy.request",
        "message": entry["message"],
        "request_id": "req-1",
        "method": "GET",
        "path": "/api/v1/me",
        "status": 200,
        "user_id": user["id"],
    }
    assert entry["message"].startswith("GET /api/v1/me 200 ")


def test_a_line_written_during_a_request_carries_its_id(api_client, log_lines, settings):
    # given a cache that cannot be reached, so that the login throttle warns while it runs
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    from bff import throttles

    throttles._last_warning = float("-inf")
    # when someone logs in
    response = api_client.post(
        "/api/v1/auth/wechat-login", {"code": "sandbox-dave"}, format="json", HTTP_X_REQUEST_ID="r-9"
    )
    # then the warning and the request line both carry the request's id
    assert response.status_code == 200
    found = [TEXT_LINE.match(line) for line in log_lines() if TEXT_LINE.match(line)]
    assert [(f["logger"], f["request_id"]) for f in found] == [
        ("bff.throttles", "r-9"),
        ("groupbuy.request", "r-9"),
    ]


def log_a_line(text: str) -> None:
    """A task that writes one line (run by the worker below)."""
    logging.getLogger("tests.task").warning(text)


@pytest.mark.django_db(transaction=True)  # the worker closes old connections, as in a cluster
def test_a_task_queued_during_a_request_carries_its_id_into_the_worker(log_lines, monkeypatch):
    # given a task queued to the ORM broker while a request with id r-77 runs
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    token = request_id.set("r-77")
    try:
        async_task("tests.api.test_request_logs.log_a_line", "handled", broker=ORM(list_key="default"))
    finally:
        request_id.reset(token)
    task = SignedPackage.loads(OrmQ.objects.get().payload)
    assert task["request_id"] == "r-77"
    # when a cluster's worker runs it, its own lines shown (Q_LOG_LEVEL=INFO)
    tasks, results = Queue(), Queue()
    tasks.put(task)
    tasks.put("STOP")
    q_log = logging.getLogger("django-q")
    level = q_log.level
    q_log.setLevel(logging.INFO)
    try:
        worker(tasks, results, Value("f", -1))
    finally:
        q_log.setLevel(level)
    # then the task's line carries the id, and the worker's lines after it none
    found = [TEXT_LINE.match(line) for line in log_lines()]
    by_logger = [(f["logger"], f["request_id"], f["message"]) for f in found if f]
    assert ("tests.task", "r-77", "handled") in by_logger
    assert by_logger[-1][:2] == ("django-q", "-")
    assert results.get(timeout=5)["success"] is True


@pytest.mark.django_db(transaction=True)
def test_by_default_a_worker_writes_only_what_its_task_writes(log_lines, monkeypatch):
    # given a task queued to the ORM broker
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    async_task("tests.api.test_request_logs.log_a_line", "only me", broker=ORM(list_key="default"))
    tasks, results = Queue(), Queue()
    tasks.put(SignedPackage.loads(OrmQ.objects.get().payload))
    tasks.put("STOP")
    # when a cluster's worker runs it with the default Q_LOG_LEVEL (WARNING)
    worker(tasks, results, Value("f", -1))
    # then the only line is the task's: django-q's own (processing, stopped) are not written
    found = [TEXT_LINE.match(line) for line in log_lines()]
    assert [(f["logger"], f["message"]) for f in found if f] == [("tests.task", "only me")]
    assert results.get(timeout=5)["success"] is True
