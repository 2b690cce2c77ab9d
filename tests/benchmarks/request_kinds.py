"""CPU and statements per request for each kind of request the load harness sends (load_harness.py:
browse the solitaire and its participations, join, pay, the sandbox's payment success, confirm
receipt), in this process: Django's WSGI handler called directly, as request_cpu.py does, so no
HTTP client shares the cores and the database's own time (in the PostgreSQL server) is not
counted.

    DATABASE_URL=postgres://…/<a fresh database> python manage.py migrate
    DATABASE_URL=… DJANGO_SETTINGS_MODULE=tests.benchmarks.settings \
        python -m tests.benchmarks.request_kinds [loops per round] [rounds] [--profile KIND] [--sql] \
        2>requests.log

Each loop is one shopper's turn in the harness: GET /solitaires/{id}, GET …/participations, POST
/orders, POST /orders/{id}/pay, POST /sandbox/payments/{id}/succeed, POST …/confirm-receipt, by
one of CUSTOMERS customers in turn, and one poll of the lag prober (a page of 100 participations).
Before the rounds, PARTICIPANTS payments are handled with their events delivered inline (the
cluster's work, done here), so the participation list has rows; in the rounds the events go to
the queue, as in production. Prints one JSON line: per kind, the median and least CPU (user + system)
per request in microseconds over the rounds and the statements per request. With --profile KIND it
also prints cProfile's costliest functions (PROFILE_LINES, default 40; PROFILE_SORT, default
cumulative) of that kind's requests over one more round (CPU time); with --sql the statements of
the last request of each kind. The seed asks for an SMS code: start with an empty Redis database
(or none), as the sandbox allows one code per phone a minute."""

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict

for name in ("THROTTLE_LOGIN", "THROTTLE_ORDERS", "THROTTLE_PAY"):
    os.environ.setdefault(name, "1000000/second")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django_q.conf import Conf  # noqa: E402

from tests.benchmarks.driver import login, order_body, seed  # noqa: E402

CUSTOMERS = 20
PARTICIPANTS = 120  # a full first page of the prober's (100)
KINDS = ("browse detail", "browse participations", "join", "pay", "pay succeed", "confirm", "lag probe")


def environ(method: str, path: str, token: str, body: bytes = b"") -> dict:
    """One request as gunicorn hands it to Django."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "https",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }


class Shop:
    """Sends the harness's requests through one WSGI handler, timing each kind's CPU and
    counting its statements."""

    def __init__(self, state: dict, tokens: list[str]) -> None:
        self.state, self.tokens, self.handler = state, tokens, WSGIHandler()
        self.join_body = json.dumps(order_body(state)).encode()
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.statements: dict[str, int] = defaultdict(int)
        self.profiles: dict[str, cProfile.Profile] = {}
        self.last_sql: dict[str, list[str]] = defaultdict(list)

    def _count(self, kind: str):
        self.last_sql[kind] = []

        def wrapper(execute, sql, params, many, context):
            self.statements[kind] += 1
            self.last_sql[kind].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    def send(self, kind: str, method: str, path: str, token: str, body: bytes = b"", expect: int = 200):
        answer: list[str] = []

        def start_response(status, _headers, _exc_info=None):
            answer.append(status)

        profile = self.profiles.get(kind)
        with connection.execute_wrapper(self._count(kind)):
            started = time.process_time()
            if profile:
                profile.enable()
            chunks = b"".join(self.handler(environ(method, "/api/v1" + path, token, body), start_response))
            if profile:
                profile.disable()
            self.cpu[kind] += time.process_time() - started
        self.calls[kind] += 1
        assert answer and answer[0].startswith(str(expect)), (kind, answer, chunks[:500])
        return json.loads(chunks) if chunks else None

    def turn(self, n: int) -> None:
        """One shopper's loop in load_harness.shopper, and one poll of the prober's (a full page)."""
        token, drive = self.tokens[n % len(self.tokens)], self.state["solitaire_id"]
        self.send("browse detail", "GET", f"/solitaires/{drive}", token)
        self.send("browse participations", "GET", f"/solitaires/{drive}/participations", token)
        order = self.send("join", "POST", "/orders", token, self.join_body, expect=201)
        payment = self.send("pay", "POST", f"/orders/{order['id']}/pay", token)
        paid = self.send("pay succeed", "POST", f"/sandbox/payments/{payment['payment_id']}/succeed", token)
        assert paid["status"] == "paid", paid
        self.send("confirm", "POST", f"/orders/{paid['id']}/confirm-receipt", token)
        page = f"/solitaires/{drive}/participations?page_size=100&page=1"
        self.send("lag probe", "GET", page, token)

    def reset(self) -> None:
        self.cpu.clear()
        self.calls.clear()
        self.statements.clear()


def main(per_round: int, rounds: int, profile: str | None = None, show_sql: bool = False) -> dict:
    state = seed({"hot_stock": 10**7, "scarce_stock": 1})
    tokens = [login(f"kinds-{n}")["token"] for n in range(CUSTOMERS)]
    shop = Shop(state, tokens)
    Conf.SYNC = True  # earlier participants, their events handled here: a list with rows
    for n in range(PARTICIPANTS):
        shop.turn(n)
    Conf.SYNC = False
    cpu: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, float] = {}
    for number in range(rounds + 1):  # the first round warms up: not counted
        shop.reset()
        for n in range(per_round):
            shop.turn(n)
        if number:
            for kind in KINDS:
                cpu[kind].append(shop.cpu[kind] / shop.calls[kind] * 1e6)
                statements[kind] = shop.statements[kind] / shop.calls[kind]
    found = {
        "cpu_us_per_request (median)": {kind: round(statistics.median(cpu[kind])) for kind in KINDS},
        # The least a round took: the figure the machine's other load inflated least.
        "cpu_us_per_request (min)": {kind: round(min(cpu[kind])) for kind in KINDS},
        "statements_per_request": {kind: round(statements[kind], 2) for kind in KINDS},
        "rounds": {kind: [round(v) for v in cpu[kind]] for kind in KINDS},
        "statements (the last request of each kind)": dict(shop.last_sql) if show_sql else None,
        "loops_per_round": per_round,
        "load": os.getloadavg(),
    }
    if profile:
        shop.profiles[profile] = cProfile.Profile(time.process_time)  # CPU, not waits
        for n in range(per_round):
            shop.turn(n)
        out = io.StringIO()
        pstats.Stats(shop.profiles[profile], stream=out).sort_stats(
            os.environ.get("PROFILE_SORT", "cumulative")
        ).print_stats(int(os.environ.get("PROFILE_LINES", 40)))
        print(out.getvalue(), file=sys.stderr if os.environ.get("PROFILE_TO_STDERR") else sys.stdout)
    return found


if __name__ == "__main__":
    arguments = sys.argv[1:]
    show_sql = "--sql" in arguments
    arguments = [a for a in arguments if a != "--sql"]
    kind = None
    if "--profile" in arguments:
        at = arguments.index("--profile")
        kind = arguments[at + 1]
        del arguments[at : at + 2]
    numbers = [int(a) for a in arguments]
    print(json.dumps(main(*(numbers or [100])[:1], *(numbers[1:] or [3]), profile=kind, show_sql=show_sql)))
