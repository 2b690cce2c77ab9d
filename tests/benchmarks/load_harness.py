"""Load harness (issue 14 item 8): mixed traffic against the scaled-out set-up for a bounded time,
from the same machine.

    python -m tests.benchmarks.load_harness [--seconds 60] [--users 8] [--url http://127.0.0.1:8000]

Without --url it starts the set-up itself, as `make run-scale` does (`manage.py run_scale`: the
Procfile under honcho, gunicorn with --web-workers workers and --clusters qclusters) on a
throwaway PostgreSQL database and Redis, and stops it afterwards; the throttles stay on, their
rates raised through THROTTLE_LOGIN / THROTTLE_ORDERS / THROTTLE_PAY. With --url it drives a
set-up already running (its processes found by their command lines for the RSS figures).

Each user (a thread) logs in through the sandbox and loops: browse the solitaire and its
participations, join (POST /orders), pay (POST /orders/{id}/pay, then the sandbox gateway's
success notification), confirm receipt. One more user is the prober: it pays one order at a time
and polls the participation list until its sequence number is listed: the event lag, from the
payment request sent (an upper bound of the commit) and from its answer (a lower bound).

Prints one report and, last, one JSON line: requests/s, latency p50/p95/p99 (all and by kind),
errors by kind and status, event lag p50/p95/p99/max, RSS of each process (peak, MB)."""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import redis

ROOT = Path(__file__).absolute().parents[2]
RAISED = {name: "1000000/second" for name in ("THROTTLE_LOGIN", "THROTTLE_ORDERS", "THROTTLE_PAY")}
CONTACT = {"name": "压测买家", "phone": "13700000000"}
PROBE_POLL_SECONDS = 0.05
PAGE = 100


class Api:
    """JSON over HTTP, one connection per request (gunicorn's sync workers close each one);
    every call is timed into `record`."""

    def __init__(self, base: str, record) -> None:
        parts = urlsplit(base)
        self.host, self.port, self.record = parts.hostname, parts.port or 80, record

    def call(self, kind: str, method: str, path: str, body=None, token: str = "") -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(
                method, "/api/v1" + path, json.dumps(body) if body is not None else None, headers
            )
            response = connection.getresponse()
            raw = response.read()
            status = response.status
        except OSError as error:
            self.record(kind, type(error).__name__, time.perf_counter() - started)
            return 0, {}
        finally:
            connection.close()
        self.record(kind, status, time.perf_counter() - started)
        try:
            return status, json.loads(raw) if raw else {}
        except ValueError:
            return status, {}


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.lags: list[tuple[float, float]] = []
        self.measuring = False

    def __call__(self, kind: str, status, seconds: float) -> None:
        if not self.measuring:
            return
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[(kind, status)] += 1


def sms_code(api: Api, token: str, phone: str) -> str:
    status, _ = api.call(
        "setup", "POST", "/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, token
    )
    assert status == 202, status
    return api.call("setup", "GET", f"/sandbox/sms?phone={phone}")[1]["code"]


def login(api: Api, name: str) -> str:
    status, body = api.call(
        "login", "POST", "/auth/wechat-login", {"code": f"sandbox-{name}", "nickname": name}
    )
    assert status == 200, (status, body)
    return body["token"]


def open_solitaire(api: Api, run: str) -> dict:
    """A store of its own with goods in plenty and a published solitaire open for a day."""
    owner = login(api, f"load-owner-{run}")
    phone = f"138{int(run) % 10**8:08d}"
    address = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "1 号"}
    body = {"name": "压测店", "phone": phone, "sms_code": sms_code(api, owner, phone), "address": address}
    status, store = api.call("setup", "POST", "/stores", body, owner)
    assert status == 201, store
    goods = {"name": "鸡蛋", "price_fen": 990, "stock": 10**7}
    status, item = api.call("setup", "POST", f"/stores/{store['id']}/goods", goods, owner)
    assert status == 201, item
    points = api.call("setup", "GET", f"/stores/{store['id']}/pickup-points", token=owner)[1]
    now = datetime.now(UTC)
    body = {
        "title": "压测接龙",
        "start_at": (now - timedelta(hours=1)).isoformat(),
        "end_at": (now + timedelta(days=1)).isoformat(),
        "pickup_point_ids": [points[0]["id"]],
        "items": [{"goods_id": item["id"], "stock": 10**6}],
    }
    status, drive = api.call("setup", "POST", f"/stores/{store['id']}/solitaires", body, owner)
    assert status == 201, drive
    status, drive = api.call("setup", "POST", f"/solitaires/{drive['id']}/publish", token=owner)
    assert status == 200, drive
    return drive


def pay_one(api: Api, token: str, drive: dict) -> tuple[dict | None, float, float]:
    """Join and pay one unit: (the paid order or None, when the payment was sent, answered)."""
    body = {
        "solitaire_id": drive["id"],
        "lines": [{"solitaire_item_id": drive["items"][0]["id"], "quantity": 1}],
        "pickup": {"method": "pickup", "pickup_point_id": drive["pickup_points"][0]["id"]},
        "contact": CONTACT,
    }
    status, order = api.call("join", "POST", "/orders", body, token)
    if status != 201:
        return None, 0, 0
    status, payment = api.call("pay", "POST", f"/orders/{order['id']}/pay", token=token)
    if status != 200:
        return None, 0, 0
    sent = time.monotonic()
    status, paid = api.call("pay", "POST", f"/sandbox/payments/{payment['payment_id']}/succeed", token=token)
    answered = time.monotonic()
    return (paid if status == 200 else None), sent, answered


def shopper(api: Api, token: str, drive: dict, stop: threading.Event) -> None:
    while not stop.is_set():
        api.call("browse", "GET", f"/solitaires/{drive['id']}", token=token)
        api.call("browse", "GET", f"/solitaires/{drive['id']}/participations", token=token)
        paid, _sent, _answered = pay_one(api, token, drive)
        if paid:
            api.call("confirm", "POST", f"/orders/{paid['id']}/confirm-receipt", token=token)


def listed(api: Api, token: str, drive: dict, sequence_no: int) -> bool:
    page = (sequence_no - 1) // PAGE + 1
    for number in (page, page - 1):  # an earlier participation still missing shifts it back
        if number < 1:
            continue
        path = f"/solitaires/{drive['id']}/participations?page_size={PAGE}&page={number}"
        status, body = api.call("lag probe", "GET", path, token=token)
        found = [row["sequence_no"] for row in body.get("results", [])] if status == 200 else []
        if sequence_no in found:
            return True
        if not found or found[0] < sequence_no:
            return False
    return False


def prober(api: Api, token: str, drive: dict, stop: threading.Event, recorder: Recorder) -> None:
    while not stop.is_set():
        paid, sent, answered = pay_one(api, token, drive)
        if not paid:
            continue
        deadline = answered + 30
        while not listed(api, token, drive, paid["sequence_no"]) and time.monotonic() < deadline:
            time.sleep(PROBE_POLL_SECONDS)
        seen = time.monotonic()
        if recorder.measuring:
            with recorder.lock:
                recorder.lags.append((seen - sent, seen - answered))
        time.sleep(0.1)


def rss_mb(pid: int) -> float:
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def role(command: str) -> str:
    if "gunicorn" in command:
        return "gunicorn"
    if "qcluster" in command:
        return "qcluster"
    return command.split()[0].rsplit("/", 1)[-1] if command else "?"


def processes(database_url: str | None) -> dict[int, str]:
    """{pid: role} of the set-up's processes: by their environment when the harness started them,
    else by their command lines."""
    from tests.support.live import processes_with

    if database_url:
        found = processes_with("DATABASE_URL", database_url)
    else:
        found = {}
        for folder in Path("/proc").iterdir():
            if folder.name.isdigit():
                with suppress(OSError):
                    found[int(folder.name)] = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return {pid: role(line) for pid, line in found.items() if "gunicorn" in line or "qcluster" in line}


def sample_rss(database_url: str | None, stop: threading.Event, peaks: dict) -> None:
    while not stop.is_set():
        for pid, name in processes(database_url).items():
            peaks[pid] = (name, max(peaks.get(pid, (name, 0.0))[1], rss_mb(pid)))
        stop.wait(1.0)


def quantiles(values: list[float]) -> dict:
    if len(values) < 2:
        return {"n": len(values)}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"n": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(values)}


@contextmanager
def started_setup(web_workers: int, clusters: int) -> tuple[str, str]:
    """`manage.py run_scale` on a throwaway database: (base URL, DATABASE_URL); stopped as Ctrl-C
    stops it, anything left killed, the database dropped."""
    from tests.support import live

    name = f"{os.environ.get('LIVE_DB_PREFIX', 'groupbuy')}_load_{os.getpid()}"
    database_url = f"{live.PG_SERVER}/{name}"
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/4")
    # Throwaway too: a run less than a minute after another would find the demo's SMS codes
    # still throttled.
    redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        **RAISED,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # The benchmarks' settings: production settings with DEBUG off, the sandbox on.
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings",
    }
    env.pop("Q_SYNC", None)
    port = live.free_port()
    log = Path(os.environ.get("LOAD_LOG", f"/tmp/{name}.log"))
    args = ["run_scale", "--web-workers", str(web_workers), "--clusters", str(clusters), "--port", str(port)]
    try:
        with live.running(args, env, log, stop_signal=signal.SIGINT) as setup:
            live.Client(f"http://127.0.0.1:{port}").wait_healthy(setup, timeout=300)
            yield f"http://127.0.0.1:{port}", database_url
    finally:
        live.kill_all(live.processes_with("DATABASE_URL", database_url))
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        subprocess.run(["psql", f"{live.PG_SERVER}/postgres", "-qc", drop], timeout=60, capture_output=True)


def drive(base: str, database_url: str | None, seconds: float, users: int, warmup: float) -> dict:
    recorder = Recorder()
    setup_api = Api(base, recorder)
    run = str(int(time.time()) % 10**8)
    solitaire = open_solitaire(setup_api, run)
    tokens = [login(setup_api, f"load-{run}-{n}") for n in range(users + 1)]
    stop, sampling = threading.Event(), threading.Event()
    peaks: dict[int, tuple[str, float]] = {}
    threads = [
        threading.Thread(target=shopper, args=(Api(base, recorder), token, solitaire, stop))
        for token in tokens[1:]
    ]
    threads.append(
        threading.Thread(target=prober, args=(Api(base, recorder), tokens[0], solitaire, stop, recorder))
    )
    threads.append(threading.Thread(target=sample_rss, args=(database_url, sampling, peaks)))
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    load_before = os.getloadavg()
    recorder.measuring = True
    started = time.monotonic()
    time.sleep(seconds)
    recorder.measuring = False
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    stop.set()
    for thread in threads[:-1]:
        thread.join(timeout=60)
    sampling.set()
    threads[-1].join(timeout=10)

    every = [latency for values in recorder.latencies.values() for latency in values]
    # The prober asks for the page its participation will be on: 404 until that page exists.
    expected = {200, 201}
    errors = {
        f"{kind} {status}": n
        for (kind, status), n in recorder.statuses.items()
        if status not in expected and (kind, status) != ("lag probe", 404)
    }
    by_role: dict[str, list[float]] = defaultdict(list)
    for name, peak in peaks.values():
        by_role[name].append(round(peak, 1))
    return {
        "seconds": elapsed,
        "users": users,
        "requests": len(every),
        "rps": len(every) / elapsed,
        "latency": quantiles(every),
        "latency_by_kind": {kind: quantiles(values) for kind, values in recorder.latencies.items()},
        "errors": errors,
        "lag_from_sent": quantiles([sent for sent, _answered in recorder.lags]),
        "lag_from_answer": quantiles([answered for _sent, answered in recorder.lags]),
        "rss_mb": dict(by_role),
        "load": {"before": load_before, "after": load_after},
    }


def report(found: dict) -> None:
    def ms(q: dict) -> str:
        if "p50" not in q:
            return f"n={q['n']}"
        cuts = ", ".join(f"{name} {q[name] * 1000:.0f} ms" for name in ("p50", "p95", "p99", "max"))
        return f"{cuts} (n={q['n']})"

    rate = f"{found['rps']:.0f} requests/s, {found['users']} users"
    print(f"\n  {found['requests']} requests in {found['seconds']:.0f} s: {rate}")
    print(f"  latency, all: {ms(found['latency'])}")
    for kind, q in sorted(found["latency_by_kind"].items()):
        print(f"    {kind:<10} {ms(q)}")
    print(f"  errors: {found['errors'] or 'none'}")
    print(f"  event lag, payment sent -> listed: {ms(found['lag_from_sent'])}")
    print(f"  event lag, payment answered -> listed: {ms(found['lag_from_answer'])}")
    for name, peaks in sorted(found["rss_mb"].items()):
        print(f"  RSS {name}: {len(peaks)} processes, peak MB {sorted(peaks, reverse=True)}")
    before, after = found["load"]["before"], found["load"]["after"]
    print(f"  load average before {before[0]:.2f}, after {after[0]:.2f} ({os.cpu_count()} cores)")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--url", help="a running set-up (make run-scale); default: start one")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--clusters", type=int, default=2)
    options = parser.parse_args(argv)
    if options.url:
        found = drive(options.url, None, options.seconds, options.users, options.warmup)
    else:
        with started_setup(options.web_workers, options.clusters) as (base, database_url):
            found = drive(base, database_url, options.seconds, options.users, options.warmup)
    report(found)
    print(json.dumps(found))
    return found


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
