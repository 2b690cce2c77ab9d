"""`make run`'s last step: the web server and one qcluster start together, answer over HTTP,
deliver events through the real cluster, and both stop on Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else {}
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
        "Q_SYNC": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=180
    )
    return env


def test_serve_answers_runs_the_cluster_and_stops_both_on_ctrl_c(embedded_env):
    # given the server and its qcluster started as `make run` does
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline:
            try:
                health = _call(f"{base}/api/v1/health")
                break
            except OSError:
                time.sleep(0.5)
        # then it is healthy and serves the docs
        assert health == (200, {"status": "ok", "database": "ok", "queue": "ok"})
        with urllib.request.urlopen(f"{base}/api/docs/", timeout=5) as docs:
            assert docs.status == 200
        # and the live cluster delivers events: a new store gets its owner and its categories
        token = _call(f"{base}/api/v1/auth/wechat-login", {"code": "sandbox-serve"})[1]["token"]
        phone = "13800000077"
        assert (
            _call(f"{base}/api/v1/auth/sms-codes", {"phone": phone, "purpose": "create_store"}, token)[0]
            == 202
        )
        code = _call(f"{base}/api/v1/sandbox/sms?phone={phone}")[1]["code"]
        address = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "1 号"}
        body = {"name": "店", "phone": phone, "sms_code": code, "address": address}
        status, store = _call(f"{base}/api/v1/stores", body, token)
        assert status == 201
        staff = (None, None)
        while time.monotonic() < deadline and staff[0] != 200:
            time.sleep(0.5)
            staff = _call(f"{base}/api/v1/stores/{store['id']}/staff", token=token)
        assert [member["role"] for member in staff[1]] == ["owner"]
        assert len(_call(f"{base}/api/v1/stores/{store['id']}/categories", token=token)[1]) == 5
        # when Ctrl-C reaches the process group
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    # then both children are gone and the banner told the user where to go
    text = output.decode(errors="replace")
    assert "/api/docs/" in text and "/admin/" in text and "stopped." in text
    leftovers = subprocess.run(["pgrep", "-f", f"runserver 127.0.0.1:{port}"], capture_output=True)
    assert leftovers.stdout == b""
