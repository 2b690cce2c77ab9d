"""Issue "Buying", item 12: joining one hot solitaire item, (a) in-process through the use case
against the same SQL issued raw, (b) over HTTP under gunicorn against a plain Django view
issuing that SQL; then no oversell. `make bench`; BENCH_STRICT=1 also asserts the goals."""

import http.client
import json
import os
import statistics
import threading
import time
from collections import Counter

K_INPROCESS = 600  # joins per side in-process
# Requests per side: 2,400 in 16 alternating rounds, judged by the median of the rounds' ratios.
# On this 2-core machine a stall of a few hundred ms (a WAL flush, the hot row's vacuum) lands
# in one round now and then: with 6 rounds of 250 single rounds ranged 0.49-1.86 and the
# overall ratio 0.81-0.95 between identical runs; the median of 16 rounds shrugs a stall off.
HTTP_ROUNDS, HTTP_PER_ROUND = 16, 150
THREADS, WARMUP = 8, 200  # warm-up requests per side: every worker past its first-call costs
SCARCE_STOCK, SCARCE_REQUESTS = 50, 120
CPU_REQUESTS, CPU_WARMUP = 400, 40  # (c): requests per side in-process, the first not counted
GOAL_RATIO, GOAL_QUERIES = 0.85, 8


def hammer(port: int, path: str, calls: list[tuple[dict, str]], limit_s: float = 120) -> tuple:
    """POST each (body, token) once from THREADS threads; bounded by the list and the time limit."""
    pending = list(reversed(calls))
    lock, statuses = threading.Lock(), Counter()
    deadline = time.monotonic() + limit_s

    def work():
        while time.monotonic() < deadline:
            with lock:
                if not pending:
                    return
                body, token = pending.pop()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
                connection.request("POST", path, json.dumps(body), headers)
                response = connection.getresponse()
                payload, code = response.read(), response.status
                if code == 409:
                    code = json.loads(payload).get("code", code)
            except OSError as exc:
                code = type(exc).__name__
            finally:
                connection.close()
            with lock:
                statuses[code] += 1

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=limit_s + 35)
    return time.perf_counter() - started, statuses


def body(state: dict, item: str = "hot_item_id") -> dict:
    return {
        "solitaire_id": state["solitaire_id"],
        "lines": [{"solitaire_item_id": state[item], "quantity": 1}],
        "pickup": {"method": "pickup", "pickup_point_id": state["point_id"]},
        "contact": {"name": "买家", "phone": "13700000000"},
    }


def test_join_one_hot_item_against_its_own_sql_issued_raw(driver, gunicorn, bench_env):
    # given a published solitaire with a hot item (large stock) and a scarce one, and customers
    customers = HTTP_ROUNDS * HTTP_PER_ROUND + WARMUP + CPU_REQUESTS
    given = {"hot_stock": 100_000, "scarce_stock": SCARCE_STOCK, "customers": customers}
    state = {**given, **driver("seed", given), "k": K_INPROCESS, "script_path": bench_env["BENCH_SCRIPT"]}

    # when (a) K joins go through the use case and K replays of its SQL through a cursor
    local = driver("inprocess", state)
    # and the plain view's SQL is recorded from POST /api/v1/orders
    http_sql = driver("capture_http", state)
    # and (c) requests to both go through Django's WSGI handler in-process, side by side
    cpu_people, people = state["customers"][-CPU_REQUESTS:], state["customers"][:-CPU_REQUESTS]
    cpu = driver("cpu", {**state, "cpu_customers": cpu_people, "cpu_warmup": CPU_WARMUP})
    # and (b) the same number of requests go to POST /api/v1/orders and to the plain view
    port = gunicorn()
    api, plain = "/api/v1/orders", "/bench/plain-join"
    people = [(c["id"], c["token"]) for c in people]
    warm = [(body(state), token) for _id, token in people[-WARMUP:]]
    spent, ok, rounds = {"api": 0.0, "plain": 0.0}, Counter(), []
    for path, calls in ((api, warm), (plain, warm)):
        ok += hammer(port, path, calls)[1]
    for round_no in range(HTTP_ROUNDS):
        # Each API request is a customer's first (its token is touched, as in the recording);
        # the plain view replays the recording whatever the token's state.
        fresh = people[round_no * HTTP_PER_ROUND : (round_no + 1) * HTTP_PER_ROUND]
        sides = {api: fresh, plain: people[:HTTP_PER_ROUND]}
        this_round = {}
        for path in (api, plain) if round_no % 2 == 0 else (plain, api):
            elapsed, statuses = hammer(port, path, [(body(state), token) for _id, token in sides[path]])
            this_round[path] = elapsed
            spent["api" if path == api else "plain"] += elapsed
            ok += statuses
        rounds.append(this_round[plain] / this_round[api])
    # and a burst of joins of the scarce item through the API
    scarce = [(body(state, "scarce_item_id"), token) for _id, token in people[:SCARCE_REQUESTS]]
    _elapsed, sellout = hammer(port, api, scarce)
    items = driver("check", state)

    # then every hot request succeeded, and the scarce item sold exactly its stock
    hot_requests = 2 * (WARMUP + HTTP_ROUNDS * HTTP_PER_ROUND)
    assert ok == Counter({201: hot_requests}), ok
    assert sellout == Counter({201: SCARCE_STOCK, "out_of_stock": SCARCE_REQUESTS - SCARCE_STOCK}), sellout
    hot, scarce_item = items[state["hot_item_id"]], items[state["scarce_item_id"]]
    assert scarce_item == dict.fromkeys(("stock", "sold", "ordered", "orders"), SCARCE_STOCK)
    # and the hot item's sold count is exactly what was ordered: 2 + 2 recordings, both sides
    joined = 4 + 2 * local["joins"] + 2 * CPU_REQUESTS + hot_requests
    assert hot["sold"] == hot["ordered"] == hot["orders"] == joined
    assert 0 <= hot["sold"] <= hot["stock"]

    report(local, http_sql, cpu, spent, rounds, hot, scarce_item)


def report(local, http_sql, cpu, spent, rounds, hot, scarce) -> None:
    requests = HTTP_ROUNDS * HTTP_PER_ROUND
    joins = local["joins"]
    local_ratio = local["raw"] / local["service"]  # throughput: service joins/s over raw joins/s
    http_ratio = spent["plain"] / spent["api"]
    median, quartiles = statistics.median(rounds), statistics.quantiles(rounds, n=4)
    join_sql = local["sql"]
    savepoints = sum(1 for sql in join_sql if "SAVEPOINT" in sql)
    per_join = {side: f"{1000 * local[side] / joins:.2f} ms per join" for side in ("service", "raw")}
    rows = [
        ("(a) in-process, use case", f"{joins / local['service']:.0f} joins/s", per_join["service"]),
        ("(a) in-process, raw SQL", f"{joins / local['raw']:.0f} joins/s", per_join["raw"]),
        ("(a) ratio use case / raw", f"{local_ratio:.2f}x", ""),
        ("(b) HTTP, POST /api/v1/orders", f"{requests / spent['api']:.0f} req/s", f"{THREADS} threads"),
        ("(b) HTTP, plain view", f"{requests / spent['plain']:.0f} req/s", "2 gunicorn workers"),
        ("(b) ratio API / plain, all requests", f"{http_ratio:.2f}x", "one stall moves it"),
        ("(b) ratio, median of rounds", f"{median:.2f}x", f"goal >= {GOAL_RATIO}"),
        ("(b) ratio, rounds' quartiles", f"{quartiles[0]:.2f} - {quartiles[2]:.2f}", ""),
        ("(c) CPU per request, API", f"{1000 * cpu['api']:.2f} ms", f"median of {cpu['requests']}"),
        ("(c) CPU per request, plain view", f"{1000 * cpu['plain']:.2f} ms", "in-process, WSGI handler"),
        ("(c) what the API adds", f"{1000 * (cpu['api'] - cpu['plain']):.2f} ms", "of CPU per request"),
        ("statements per join", len(join_sql), f"{savepoints} SAVEPOINT/RELEASE; goal <= {GOAL_QUERIES}"),
        ("statements per request", f"{len(http_sql['sql'])}", "authentication included"),
        ("hot item stock / sold / ordered", "{stock} / {sold} / {ordered}".format(**hot), ""),
        ("scarce item stock / sold / orders", "{stock} / {sold} / {orders}".format(**scarce), ""),
    ]
    print("\n\nSQL of one join (use case):")
    for number, sql in enumerate(join_sql, 1):
        print(f"  {number:>2}. {sql[:160]}")
    print("SQL of one POST /api/v1/orders (transaction; None = autocommit):")
    for number, (sql, tx) in enumerate(zip(http_sql["sql"], http_sql["transaction"], strict=True), 1):
        print(f"  {number:>2}. [{tx}] {sql[:150]}")
    print()
    for name, value, note in rows:
        print(f"  {name:<36} {value:>22}  {note}")
    print("  (b) ratio per round: " + " ".join(f"{r:.2f}" for r in rounds))
    if os.environ.get("BENCH_STRICT"):
        assert median >= GOAL_RATIO, rounds
        assert len(join_sql) <= GOAL_QUERIES, join_sql
