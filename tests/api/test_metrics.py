"""GET /metrics (bff/metrics.py): Prometheus text with the requests answered (by method, route
and status, and their durations) and the event machinery read from the database; off in
production unless enabled, behind METRICS_TOKEN when set; summed over processes with
PROMETHEUS_MULTIPROC_DIR."""

import json
import os
import subprocess
import sys

import pytest
from django_q.conf import Conf
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from contexts.shared.domain.events import DomainEvent
from contexts.shared.eventbus import append_to_outbox
from contexts.shared.models import EventDelivery
from tests.integration.test_production_settings import complete as integration_credentials
from tests.support.cluster import FakeSentinel

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict:
    """{(name, ((label, value), …)): value} of a Prometheus text page."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def answered(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("groupbuy_http_requests_total", labels) or 0.0


def test_requests_are_counted_by_method_route_and_status_with_their_durations(user_client, api_client):
    # given what was counted so far
    client, _user = user_client("alice")
    route = "api/v1/orders/<str:order_id>"
    before = answered("GET", route, "404"), answered("GET", "unmatched", "404")
    durations = REGISTRY.get_sample_value(
        "groupbuy_http_request_duration_seconds_count", {"method": "GET", "route": route}
    )
    # when two orders that do not exist are asked for, and a path that is nothing
    client.get("/api/v1/orders/no-such-1")
    client.get("/api/v1/orders/no-such-2")
    api_client.get("/api/v1/nothing/here")
    # then each is counted under its route, not its path
    assert answered("GET", route, "404") - before[0] == 2
    assert answered("GET", "unmatched", "404") - before[1] == 1
    assert (
        REGISTRY.get_sample_value(
            "groupbuy_http_request_duration_seconds_count", {"method": "GET", "route": route}
        )
        - (durations or 0)
        == 2
    )


def _event() -> str:
    event = DomainEvent(event_type="TestHappened", aggregate_type="test", aggregate_id="t", payload={})
    append_to_outbox([event])
    return event.event_id


def test_the_page_has_the_event_machinery_read_from_the_database(api_client, settings):
    # given deliveries in every state, two clusters alive and one stopped
    settings.METRICS_ENABLED, settings.METRICS_TOKEN = True, ""
    event_id = _event()
    for n, status in enumerate(["pending", "pending", "done", "failed"]):
        EventDelivery.objects.create(event_id=event_id, handler=f"tests.h{n}", status=status)
    FakeSentinel().beat(Conf.IDLE)
    FakeSentinel().beat(Conf.WORKING)
    FakeSentinel().beat(Conf.STOPPED)
    # when Prometheus scrapes
    response = api_client.get("/metrics")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = samples(response.content.decode())
    assert {
        key: value for key, value in found.items() if key[0].startswith("groupbuy_") and "http" not in key[0]
    } == {
        ("groupbuy_database_up", ()): 1.0,
        ("groupbuy_event_deliveries", (("status", "done"),)): 1.0,
        ("groupbuy_event_deliveries", (("status", "failed"),)): 1.0,
        ("groupbuy_event_deliveries", (("status", "pending"),)): 2.0,
        ("groupbuy_queue_tasks", ()): 0.0,
        ("groupbuy_event_oldest_undispatched_seconds", ()): found[
            ("groupbuy_event_oldest_undispatched_seconds", ())
        ],
        ("groupbuy_event_oldest_pending_delivery_seconds", ()): found[
            ("groupbuy_event_oldest_pending_delivery_seconds", ())
        ],
        ("groupbuy_clusters_alive", ()): 2.0,
    }
    # and the event, committed just now and never relayed, is young
    assert 0 <= found[("groupbuy_event_oldest_undispatched_seconds", ())] < 5
    assert 0 <= found[("groupbuy_event_oldest_pending_delivery_seconds", ())] < 5


def test_metrics_are_off_unless_enabled(api_client, settings):
    settings.METRICS_ENABLED = False
    assert api_client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    ("authorization", "status"),
    [(None, 401), ("Bearer wrong", 401), ("Basic czNjcmV0", 401), ("Bearer s3cret-metrics", 200)],
)
def test_with_a_metrics_token_only_its_bearer_reads_them(api_client, settings, authorization, status):
    settings.METRICS_ENABLED, settings.METRICS_TOKEN = True, "s3cret-metrics"
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = api_client.get("/metrics", **headers)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
        assert b"groupbuy_" not in response.content


def test_a_metrics_token_turns_metrics_on_in_production(tmp_path):
    """settings.py: with DJANGO_DEBUG=0, /metrics is off unless METRICS_TOKEN or METRICS_ENABLED."""
    env = {
        **os.environ,
        **integration_credentials(tmp_path),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "h",
    }
    env.pop("METRICS_ENABLED", None)
    code = (
        "import json, groupbuy.settings as s; print(json.dumps([s.METRICS_ENABLED, bool(s.METRICS_TOKEN)]))"
    )

    def enabled(**extra) -> list:
        done = subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert enabled() == [False, False]
    assert enabled(METRICS_TOKEN="t") == [True, True]
    assert enabled(METRICS_ENABLED="1") == [True, False]


# A web process of its own: `requests` requests to an unknown path, then, if asked, a scrape.
PROCESS = """
import sys
import django
django.setup()
from django.test import Client
client = Client()
for _ in range(int(sys.argv[1])):
    client.get("/api/v1/nothing")
if sys.argv[2] == "scrape":
    print(client.get("/metrics").content.decode())
"""


def test_with_a_multiprocess_folder_a_scrape_sums_every_process(tmp_path):
    # given two web processes sharing one metrics folder, as gunicorn's workers do
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "groupbuy.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "METRICS_ENABLED": "1",
        "LOG_LEVEL": "CRITICAL",
    }

    def web(requests: int, then: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", PROCESS, str(requests), then],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    # when one answers 3 requests and ends, and the other answers 2 and is scraped
    web(3, "")
    page = web(2, "scrape")
    # then the scrape counts the 5 answers of both
    found = samples(page)
    unmatched = (("method", "GET"), ("route", "unmatched"), ("status", "404"))
    assert found[("groupbuy_http_requests_total", unmatched)] == 5.0
    # and, with no tables in its database, says so rather than failing
    assert found[("groupbuy_database_up", ())] == 0.0
