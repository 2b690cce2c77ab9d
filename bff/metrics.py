"""`/metrics` for Prometheus (prometheus-client): the requests every web process answered, and
the event machinery read from the database at scrape time.

- `groupbuy_http_requests_total{method, route, status}` and
  `groupbuy_http_request_duration_seconds{method, route}` (a histogram), recorded by
  bff/observability.py. `route` is the URL pattern (`api/v1/orders/<str:order_id>/pay`), never
  the path, so ids do not multiply the series.
- `groupbuy_event_deliveries{status}` (rows by status: pending, done, failed),
  `groupbuy_queue_tasks` (django-q2's queue), `groupbuy_event_oldest_undispatched_seconds`,
  `groupbuy_event_oldest_pending_delivery_seconds` (0 when none), `groupbuy_clusters_alive`,
  `groupbuy_database_up`.

Several web processes (gunicorn workers) each count their own requests; with
PROMETHEUS_MULTIPROC_DIR set (an empty folder, emptied before the server starts) each writes
its counts there and a scrape of any of them sums them all (prometheus-client's multiprocess
mode). Without it the counts are the answering process's alone: one process.

Off unless METRICS_ENABLED (by default: with DEBUG, or when METRICS_TOKEN is set); with
METRICS_TOKEN a scrape must send `Authorization: Bearer <METRICS_TOKEN>`."""

import hmac
import logging
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from contexts.shared import queries as machinery

log = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUESTS = Counter("groupbuy_http_requests", "HTTP requests answered.", ["method", "route", "status"])
DURATION = Histogram(
    "groupbuy_http_request_duration_seconds",
    "Time to answer an HTTP request, in the web process.",
    ["method", "route"],
    buckets=BUCKETS,
)


def recording() -> bool:
    """Whether requests are counted: only when /metrics can be read (settings, at start)."""
    return settings.METRICS_ENABLED


def observe(request, status: int, seconds: float) -> None:
    method = request.method if request.method in METHODS else "other"
    match = request.resolver_match
    route = match.route if match is not None else "unmatched"
    REQUESTS.labels(method, route, str(status)).inc()
    DURATION.labels(method, route).observe(seconds)


class MachineryCollector:
    """The event machinery's gauges, read from the database at each scrape."""

    def collect(self):
        try:
            deliveries = machinery.deliveries_by_status()
            queue = machinery.queue_length()
            undispatched = machinery.oldest_undispatched_event_seconds()
            pending = machinery.oldest_pending_delivery_seconds()
            alive = machinery.clusters().alive
        except Exception:
            log.exception("metrics: the event machinery could not be read")
            yield GaugeMetricFamily("groupbuy_database_up", "Whether the database answered.", value=0)
            return
        yield GaugeMetricFamily("groupbuy_database_up", "Whether the database answered.", value=1)
        by_status = GaugeMetricFamily(
            "groupbuy_event_deliveries", "Event deliveries by status (rows).", labels=["status"]
        )
        for status, count in sorted(deliveries.items()):
            by_status.add_metric([status], count)
        yield by_status
        yield GaugeMetricFamily("groupbuy_queue_tasks", "Tasks waiting in django-q2's queue.", value=queue)
        yield GaugeMetricFamily(
            "groupbuy_event_oldest_undispatched_seconds",
            "Age of the oldest outbox event not yet relayed (0: none).",
            value=undispatched or 0,
        )
        yield GaugeMetricFamily(
            "groupbuy_event_oldest_pending_delivery_seconds",
            "Age of the event of the oldest delivery still pending (0: none).",
            value=pending or 0,
        )
        yield GaugeMetricFamily(
            "groupbuy_clusters_alive", "qclusters seen taking tasks within 30 s.", value=alive
        )


def metrics_view(request):
    if not settings.METRICS_ENABLED:
        raise Http404
    if settings.METRICS_TOKEN and not _authorized(request):
        response = HttpResponse("A bearer token is required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    database = CollectorRegistry()
    database.register(MachineryCollector())
    body = generate_latest(requests) + generate_latest(database)
    return HttpResponse(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)


def _authorized(request) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    expected = settings.METRICS_TOKEN.encode()
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), expected)
