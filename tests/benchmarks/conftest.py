"""A throwaway PostgreSQL database per run, the driver subprocess, and gunicorn serving the bench
settings. Every wait is bounded; everything started here is stopped here."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parents[2]
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qc"]


@pytest.fixture(scope="session")
def bench_env(tmp_path_factory):
    name = f"groupbuy_bench_{os.getpid()}"
    subprocess.run([*PSQL, f"CREATE DATABASE {name}"], check=True, timeout=60)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings",
        "BENCH_SCRIPT": str(tmp_path_factory.mktemp("bench") / "plain-join.pickle"),
    }
    env.pop("Q_SYNC", None)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        yield env
    finally:
        subprocess.run([*PSQL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60)


@pytest.fixture(scope="session")
def driver(bench_env, tmp_path_factory):
    """`driver("seed", state)` -> the JSON the driver printed."""
    state_file = tmp_path_factory.mktemp("driver") / "state.json"

    def run(command: str, state: dict, timeout: int = 600) -> dict:
        state_file.write_text(json.dumps(state))
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.driver", command, str(state_file)],
            cwd=ROOT,
            env=bench_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def gunicorn(bench_env):
    """Start gunicorn lazily (after the plain view's script exists): `gunicorn()` -> its port."""
    started: list[subprocess.Popen] = []

    def start() -> int:
        port = free_port()
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "groupbuy.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        started.append(subprocess.Popen(command, cwd=ROOT, env=bench_env))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert started[-1].poll() is None, "gunicorn exited"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("gunicorn did not listen within 30 s")

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
