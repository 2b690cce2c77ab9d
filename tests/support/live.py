"""Real processes for the live tests: a throwaway SQLite file migrated by `manage.py migrate`,
the web server and qcluster started as `make run` starts them (or the web server alone), and a
small HTTP client that speaks to them the way the mini-program does.

Every process is started in its own session, so it and all its children (runserver, qcluster
and qcluster's workers) form one process group: stopping sends a signal to the group, waits,
and then SIGKILLs what is left (qcluster can hang on SIGTERM, django-q2 issue 346)."""

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_SECONDS = 15
START_TIMEOUT_SECONDS = 60
ADDRESS = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "1 号"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PG_SERVER = "postgres://postgres@127.0.0.1:5432"


@contextmanager
def postgres_env(**extra: str) -> Iterator[dict]:
    """The environment of live processes on a throwaway PostgreSQL database (the server CI
    starts), migrated, with the event probe installed (tests.support.live_settings), django-q2
    not inline; dropped on the way out. Its name starts with LIVE_DB_PREFIX (default
    groupbuy), so that parallel runs on one server keep to their own names."""
    name = f"{os.environ.get('LIVE_DB_PREFIX', 'groupbuy')}_live_{os.getpid()}_{next(_databases)}"
    admin = ["psql", PG_SERVER + "/postgres", "-qc"]
    subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True, timeout=60, capture_output=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{name}",
        "DJANGO_SETTINGS_MODULE": "tests.support.live_settings",
        "GROUPBUY_SANDBOX": "1",
        "Q_SYNC": "0",
        **extra,
    }
    try:
        migrate = [sys.executable, "manage.py", "migrate", "-v0"]
        subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=180)
        yield env
    finally:
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        subprocess.run([*admin, drop], timeout=60, capture_output=True)


_databases = itertools.count()


def processes_with(variable: str, value: str) -> dict[int, str]:
    """{pid: command line} of the processes whose environment has `variable=value`: everything
    a command started, also what it started in sessions of its own (honcho does)."""
    wanted = f"{variable}={value}".encode()
    found = {}
    for folder in Path("/proc").iterdir():
        if not folder.name.isdigit():
            continue
        try:
            if wanted in (folder / "environ").read_bytes().split(b"\0"):
                found[int(folder.name)] = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended meanwhile, or not ours to read
    return found


def kill_all(pids) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def migrated_env(folder: Path) -> dict:
    """The environment of a live process on a fresh database file in `folder`, already migrated:
    real settings (not the test settings), the sandbox on, django-q2 not inline (Q_SYNC=0)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'live.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
        "GROUPBUY_SANDBOX": "1",
        "Q_SYNC": "0",
    }
    migrate = [sys.executable, "manage.py", "migrate", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=180)
    return env


@dataclass
class Process:
    """A started command and everything it started, its output going to `log`."""

    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
        """Send `sig` to the group and wait for the command to end; past `timeout`, SIGKILL the
        group. True when it ended by itself."""
        if self.popen.poll() is None:
            self._signal(sig)
            try:
                self.popen.wait(timeout=timeout)
                return True
            except subprocess.TimeoutExpired:
                self.kill()
                return False
        return True

    def kill(self) -> None:
        """SIGKILL whatever is left of the group (children that outlived the command included)."""
        self._signal(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(timeout=STOP_TIMEOUT_SECONDS)

    def _signal(self, sig: int) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)


@contextmanager
def running(args: list[str], env: dict, log: Path, stop_signal: int = signal.SIGTERM) -> Iterator[Process]:
    """`manage.py <args>` in its own process group; stopped with `stop_signal` (then killed)
    on the way out."""
    with log.open("wb") as sink:
        popen = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    process = Process(popen=popen, log=log)
    try:
        yield process
    finally:
        process.stop(stop_signal)
        process.kill()


@contextmanager
def serve(env: dict, folder: Path) -> Iterator[tuple[Process, "Client"]]:
    """The web server and one qcluster, as `make run` starts them (`manage.py serve`), healthy.
    Stopped as a user stops `make run`, with Ctrl-C (SIGINT to the group): qcluster ends within
    two seconds, where on SIGTERM it hangs until serve kills it (8 s)."""
    port = free_port()
    args = ["serve", "--port", str(port)]
    with running(args, env, folder / "serve.log", stop_signal=signal.SIGINT) as process:
        client = Client(f"http://127.0.0.1:{port}")
        client.wait_healthy(process)
        yield process, client


@contextmanager
def web_only(env: dict, folder: Path) -> Iterator[tuple[Process, "Client"]]:
    """The web server alone (runserver as `serve` starts it), no qcluster: whatever goes to the
    queue stays there, and the health check answers 503 (no cluster) with the database up."""
    port = free_port()
    with running(["runserver", f"127.0.0.1:{port}", "--noreload"], env, folder / "web.log") as process:
        client = Client(f"http://127.0.0.1:{port}")
        client.wait_healthy(process, ready=_database_up)
        yield process, client


def _database_up(answer: tuple) -> bool:
    return isinstance(answer[1], dict) and answer[1].get("database") == "ok"


class Client:
    """JSON over HTTP to a live server: each call answers (status, body)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def request(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, object]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, _decoded(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _decoded(error.read())

    def get(self, path: str, token: str | None = None) -> tuple[int, object]:
        return self.request("GET", path, token=token)

    def post(self, path: str, body=None, token: str | None = None) -> tuple[int, object]:
        return self.request("POST", path, body, token)

    def put(self, path: str, body=None, token: str | None = None) -> tuple[int, object]:
        return self.request("PUT", path, body, token)

    def wait_healthy(
        self, process: Process, timeout: float = START_TIMEOUT_SECONDS, ready=lambda answer: answer[0] == 200
    ) -> None:
        """Until GET /api/v1/health is `ready` (by default 200: database, queue and a cluster)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise AssertionError(f"the server ended before answering:\n{process.output()}")
            try:
                if ready(self.get("/api/v1/health")):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the server did not become healthy in {timeout} s:\n{process.output()}")

    def wait_for(self, path: str, ready, token: str | None = None, timeout: float = 30) -> tuple[int, object]:
        """GET `path` until `ready((status, body))` or `timeout`; the last answer."""
        deadline = time.monotonic() + timeout
        answer = self.get(path, token)
        while not ready(answer) and time.monotonic() < deadline:
            time.sleep(0.2)
            answer = self.get(path, token)
        return answer

    def login(self, name: str) -> str:
        """A sandbox WeChat login; the token."""
        status, body = self.post("/api/v1/auth/wechat-login", {"code": f"sandbox-{name}", "nickname": name})
        assert status == 200, body
        return body["token"]

    def sms_code(self, token: str, phone: str, purpose: str = "create_store") -> str:
        """Ask for an SMS code, then read it from the sandbox."""
        status, body = self.post("/api/v1/auth/sms-codes", {"phone": phone, "purpose": purpose}, token)
        assert status == 202, body
        status, sms = self.get(f"/api/v1/sandbox/sms?phone={phone}")
        assert status == 200, sms
        return sms["code"]

    def open_store(self, token: str, phone: str, name: str = "店") -> tuple[int, object]:
        """POST /stores with a fresh SMS code: (status, body)."""
        code = self.sms_code(token, phone)
        body = {"name": name, "phone": phone, "sms_code": code, "address": ADDRESS}
        return self.post("/api/v1/stores", body, token)

    def published_solitaire(self, token: str, store_id: str, goods: dict, stock: int) -> dict:
        """A published solitaire of one new item with `stock` units, open for a day, picked up
        at the store's default point."""
        status, created = self.post(f"/api/v1/stores/{store_id}/goods", goods, token)
        assert status == 201, created
        status, points = self.get(f"/api/v1/stores/{store_id}/pickup-points", token)
        assert status == 200, points
        now = datetime.now(UTC)
        body = {
            "title": "周五水果接龙",
            "start_at": (now - timedelta(hours=1)).isoformat(),
            "end_at": (now + timedelta(days=1)).isoformat(),
            "pickup_point_ids": [points[0]["id"]],
            "items": [{"goods_id": created["id"], "stock": stock}],
        }
        status, solitaire = self.post(f"/api/v1/stores/{store_id}/solitaires", body, token)
        assert status == 201, solitaire
        status, solitaire = self.post(f"/api/v1/solitaires/{solitaire['id']}/publish", token=token)
        assert status == 200, solitaire
        return solitaire

    def join(
        self, token: str, solitaire: dict, contact: dict, resale_id: str | None = None
    ) -> tuple[int, object]:
        """One unit of the solitaire's first item, picked up at its first point."""
        body = {
            "solitaire_id": solitaire["id"],
            "lines": [{"solitaire_item_id": solitaire["items"][0]["id"], "quantity": 1}],
            "pickup": {"method": "pickup", "pickup_point_id": solitaire["pickup_points"][0]["id"]},
            "contact": contact,
        }
        if resale_id:
            body["resale_id"] = resale_id
        return self.post("/api/v1/orders", body, token)


def _decoded(raw: bytes):
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")
