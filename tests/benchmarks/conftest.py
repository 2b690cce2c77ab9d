"""A throwaway PostgreSQL database per run, the driver subprocess, gunicorn serving the bench
settings, wrk against gunicorn and pgbench against the same database: both clients in C, with the
same connections and threads, each reporting the CPU it used. Every wait is bounded; everything
started here is stopped here."""

import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parents[2]
SERVER = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
PSQL = ["psql", "-h", SERVER["host"], "-p", SERVER["port"], "-U", SERVER["user"], "-v", "ON_ERROR_STOP=1"]
WORKERS = 3
CLIENT_THREADS = 2  # wrk -t, pgbench -j
WRK_SCRIPT = Path(__file__).with_name("join.lua")
# Rates far above what a run asks for (API.md: THROTTLE_* from the environment), so that
# logging thousands of customers in from one address is never throttled.
UNTHROTTLED = {name: "1000000/second" for name in ("THROTTLE_LOGIN", "THROTTLE_ORDERS", "THROTTLE_PAY")}


@pytest.fixture(scope="session")
def bench_env():
    # BENCH_DB_NAME: a name of one's own when several people share the server (e.g. a prefix per
    # worktree); a leftover database of that name from an interrupted run is dropped first.
    name = os.environ.get("BENCH_DB_NAME") or f"groupbuy_bench_{os.getpid()}"
    assert re.fullmatch(r"[a-z_][a-z0-9_]*", name), f"BENCH_DB_NAME {name!r}: lower-case letters, digits, _"
    subprocess.run([*PSQL, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, timeout=60)
    subprocess.run([*PSQL, "-qc", f"CREATE DATABASE {name}"], check=True, timeout=60)
    env = {
        **os.environ,
        **UNTHROTTLED,
        "DATABASE_URL": f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}",
        "BENCH_DB": name,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.settings",
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
        subprocess.run([*PSQL, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60)


@pytest.fixture(scope="session")
def driver(bench_env, tmp_path_factory):
    """`driver("seed", state)` -> the JSON the driver printed (a Django process of its own:
    the pytest process never opens the bench database through Django)."""
    return driver_process("tests.benchmarks.driver", bench_env, tmp_path_factory)


def driver_process(module: str, bench_env: dict, tmp_path_factory, default_timeout: int = 600):
    """`run(command, state)` -> the JSON the last line of `python -m module command state.json`
    printed, run on the bench database in a process of its own."""
    state_file = tmp_path_factory.mktemp(module.rsplit(".", 1)[-1]) / "state.json"

    def run(command: str, state: dict, timeout: int = default_timeout) -> dict:
        state_file.write_text(json.dumps(state))
        done = subprocess.run(
            [sys.executable, "-m", module, command, str(state_file)],
            cwd=ROOT,
            env=bench_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    return run


@pytest.fixture(scope="session")
def psql(bench_env):
    """`psql(sql)` -> the rows (tuples of text) of one statement on the bench database."""

    def run(sql: str) -> list[tuple[str, ...]]:
        done = subprocess.run(
            [*PSQL, "-d", bench_env["BENCH_DB"], "-AtF", "\t", "-c", sql],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return [tuple(line.split("\t")) for line in done.stdout.splitlines()]

    return run


@pytest.fixture(scope="session")
def pgbench(bench_env, tmp_path_factory):
    """`pgbench(script, clients=, seconds=, variables=, mode=)` -> {"tps", "transactions", "cpu"}:
    one pgbench run of a custom script, no vacuum (the script names no pgbench table), in
    pgbench's query mode `mode` (simple: each statement as text; prepared: parsed and planned
    once per connection, as the API's statements are)."""
    program = shutil.which("pgbench") or "/usr/bin/pgbench"
    assert Path(program).exists(), "pgbench is missing: apt-get install -y postgresql-client"
    folder = tmp_path_factory.mktemp("pgbench")

    def run(script: str, *, clients: int, seconds: int, variables: dict, mode: str = "simple") -> dict:
        path = folder / "join.sql"
        path.write_text(script)
        defines = [f"--define={name}={value}" for name, value in variables.items()]
        command = [program, "-h", SERVER["host"], "-p", SERVER["port"], "-U", SERVER["user"], "-n"]
        command += ["-c", str(clients), "-j", str(CLIENT_THREADS), "-T", str(seconds), "-M", mode]
        command += [*defines, "-f", str(path), bench_env["BENCH_DB"]]
        done, cpu = run_measured(command, timeout=seconds + 60)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        tps = re.search(r"^tps = ([\d.]+)", done.stdout, re.M)
        processed = re.search(r"actually processed: (\d+)", done.stdout)
        failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
        assert tps and processed, done.stdout
        assert failed is None or failed.group(1) == "0", done.stdout
        return {"tps": float(tps.group(1)), "transactions": int(processed.group(1)), "cpu": cpu}

    return run


@pytest.fixture(scope="session")
def wrk(tmp_path_factory):
    """`wrk(port, body=, tokens=, connections=, seconds=)` -> {"rps", "requests", "statuses",
    "socket_errors", "cpu"}: one wrk run of join.lua, POST /api/v1/orders with `body` as the
    customers of `tokens` in turn; statuses by code (int)."""
    program = shutil.which("wrk") or "/usr/bin/wrk"
    assert Path(program).exists(), "wrk is missing: apt-get install -y wrk"
    folder = tmp_path_factory.mktemp("wrk")

    def run(port: int, *, body: dict, tokens: list[str], connections: int, seconds: int) -> dict:
        (folder / "body.json").write_text(json.dumps(body))
        (folder / "tokens").write_text("\n".join(tokens) + "\n")
        command = [program, f"-c{connections}", f"-t{CLIENT_THREADS}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}", "--"]
        command += [str(folder / "body.json"), str(folder / "tokens")]
        done, cpu = run_measured(command, timeout=seconds + 60)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        found = json.loads(done.stdout.strip().splitlines()[-1])
        statuses = {int(code): count for code, count in found["statuses"].items()}
        rps = found["requests"] / found["seconds"]
        return {**found, "statuses": statuses, "rps": rps, "cpu": cpu}

    return run


def run_measured(command: list[str], timeout: int) -> tuple[subprocess.CompletedProcess, float]:
    """subprocess.run, and the CPU seconds (user + system) the child used: what the client itself
    costs the machine the server runs on. Only this child ends during the call, so the growth of
    RUSAGE_CHILDREN is its own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def gunicorn(bench_env, tmp_path_factory):
    """gunicorn serving the project on the bench database: its port. Its log (a line per request)
    goes to a file, as a server's goes to a pipe; its workers' metrics to a shared folder."""
    port = free_port()
    folder = tmp_path_factory.mktemp("gunicorn")
    (folder / "metrics").mkdir()
    env = {**bench_env, "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics")}
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "groupbuy.wsgi:application",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    with (folder / "gunicorn.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (
                "gunicorn exited:\n" + (folder / "gunicorn.log").read_text()[-3000:]
            )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not listen within 30 s"
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# Issue 14: the event benchmarks' driver (events_driver.py), a process of its own like `driver`.
@pytest.fixture(scope="session")
def events(bench_env, tmp_path_factory):
    """`events(command, state)` -> the JSON events_driver printed."""
    return driver_process("tests.benchmarks.events_driver", bench_env, tmp_path_factory, 900)
