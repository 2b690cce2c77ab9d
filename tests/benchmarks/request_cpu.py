"""The CPU one POST /api/v1/orders costs inside the web process: what the middleware, the
throttle, the request log and the metrics add to a join, without the database's own time (spent
in the PostgreSQL server) and without an HTTP client sharing the cores.

    DATABASE_URL=postgres://…/<a fresh database> python manage.py migrate
    DATABASE_URL=… DJANGO_SETTINGS_MODULE=tests.benchmarks.settings \
        python -m tests.benchmarks.request_cpu [requests per round] [rounds] 2>requests.log

It seeds a solitaire through the API (tests/benchmarks/driver.py), logs customers in, then
calls Django's WSGI handler in this process, round after round: as configured, without the
request log and metrics middleware, without the order throttle. It prints one JSON line: each
variant's median CPU (user + system) per request in microseconds and every round's figure.
Log lines go to stderr: send them to a file, as a server's log goes to a pipe or a file. Set
PROMETHEUS_MULTIPROC_DIR (an empty folder) to pay for the metrics as gunicorn's workers do."""

import json
import os
import statistics
import sys
import time
from types import SimpleNamespace

# As the benchmark does (conftest.UNTHROTTLED): rates no run reaches, so the throttle is paid
# for and never refuses; set before Django reads its settings.
for name in ("THROTTLE_LOGIN", "THROTTLE_ORDERS", "THROTTLE_PAY"):
    os.environ.setdefault(name, "1000000/second")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402
from rest_framework.request import Request  # noqa: E402

from bff.observability import RequestLogMiddleware  # noqa: E402
from bff.orders import OrdersView  # noqa: E402
from bff.throttles import OrderPlacingThrottle  # noqa: E402
from tests.benchmarks.driver import login, order_body, seed  # noqa: E402
from tests.benchmarks.request_kinds import environ  # noqa: E402

CUSTOMERS = 50
OBSERVABILITY = "bff.observability.RequestLogMiddleware"


class Variant:
    """The project as configured, or without some of what it pays per request: a WSGI handler
    of its own (middleware is read when a handler starts) and the view's throttles."""

    def __init__(self, name: str, *, without_middleware: str | None = None, throttled: bool = True):
        self.name, self.throttled = name, throttled
        middleware = [m for m in settings.MIDDLEWARE if m != without_middleware]
        with override_settings(MIDDLEWARE=middleware):
            self.handler = WSGIHandler()

    def __enter__(self):
        self.saved = OrdersView.throttle_classes
        if not self.throttled:
            OrdersView.throttle_classes = []
        return self.handler

    def __exit__(self, *_exc):
        OrdersView.throttle_classes = self.saved


VARIANTS = [
    Variant("as configured"),
    Variant("without the request log and metrics", without_middleware=OBSERVABILITY),
    Variant("without the throttle", throttled=False),
]


def parts(state: dict, tokens: list[str], calls: int = 20_000) -> dict:
    """The CPU of the request log and metrics middleware, and of the order throttle, alone (µs
    per request): steadier than the difference of two noisy totals. The throttle counts in the
    default cache: Redis when REDIS_URL is set."""
    request = RequestFactory().post("/api/v1/orders", order_body(state), content_type="application/json")
    request.resolver_match = resolve("/api/v1/orders")
    request.user = SimpleNamespace(id="a1b2c3d4-0000-4000-8000-000000000000")
    answered = HttpResponse(status=201)
    middleware = RequestLogMiddleware(lambda _request: answered)
    throttled = Request(request)
    throttled.user = request.user

    def per_call(work) -> float:
        started = time.process_time()
        for _ in range(calls):
            work()
        return round((time.process_time() - started) / calls * 1e6, 1)

    bare = per_call(lambda: answered)
    return {
        "request log and metrics (µs)": round(per_call(lambda: middleware(request)) - bare, 1),
        "order throttle (µs)": round(
            per_call(lambda: OrderPlacingThrottle().allow_request(throttled, None)), 1
        ),
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def main(per_round: int, rounds: int) -> dict:
    """Rounds of each variant in turn (A, B, C, A, B, C …), so that the machine's load, which
    moves, weighs on all of them alike."""
    state = seed({"hot_stock": 10**7, "scarce_stock": 1})
    tokens = [login(f"cpu-{n}")["token"] for n in range(CUSTOMERS)]
    body = json.dumps(order_body(state)).encode()
    statuses: list[str] = []

    def start_response(status, _headers, _exc_info=None):
        statuses.append(status)

    def join(handler, n: int) -> None:
        for _chunk in handler(environ("POST", "/api/v1/orders", tokens[n % CUSTOMERS], body), start_response):
            pass

    figures: dict[str, list[float]] = {variant.name: [] for variant in VARIANTS}
    for number in range(rounds + 1):  # the first round of each warms it up: not counted
        for variant in VARIANTS:
            with variant as handler:
                statuses.clear()
                started = time.process_time()
                for n in range(per_round):
                    join(handler, n)
                cpu = (time.process_time() - started) / per_round * 1e6
            assert statuses == ["201 Created"] * per_round, statuses[:3]
            if number:
                figures[variant.name].append(cpu)
    medians = {name: round(statistics.median(values)) for name, values in figures.items()}
    return {
        "parts": parts(state, tokens),
        "cpu_us_per_request (median)": medians,
        "rounds": {name: [round(v) for v in values] for name, values in figures.items()},
        "requests_per_round": per_round,
        "multiprocess_metrics": bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR")),
        "load": os.getloadavg(),
    }


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    print(json.dumps(main(*(arguments or [1000])[:1], *(arguments[1:] or [5]))))
