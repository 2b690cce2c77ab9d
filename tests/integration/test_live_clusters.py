"""Issue 14: two qclusters on one PostgreSQL database, as `make run-scale` runs them, and one of
them killed -9 in the middle of the work: every delivery is handled, each exactly once.

The events are the probe's (tests.support.probe: two after-commit handlers, each writing a
non-unique row per run), published through the real unit of work, outbox and relay by a process
of its own. django-q2's `retry` is shortened here so the test stays quick; the benchmark
tests/benchmarks/test_event_kill_benchmark.py does the same with real orders and the default
settings, and times the recovery."""

import signal
import subprocess
import sys
import time

from tests.support import live

EVENTS = 1000  # x 2 handlers = 2,000 deliveries
PER_TRANSACTION = 2
RETRY_SECONDS = 4
WAIT_SECONDS = 120


def query(env: dict, sql: str) -> list[tuple[str, ...]]:
    done = subprocess.run(
        ["psql", env["DATABASE_URL"], "-AtF", "\t", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return [tuple(line.split("\t")) for line in done.stdout.splitlines()]


def count(env: dict, sql: str) -> int:
    return int(query(env, sql)[0][0])


def pids_of(cluster: live.Process) -> set[int]:
    found = subprocess.run(["pgrep", "-g", str(cluster.popen.pid)], capture_output=True, text=True)
    return {int(pid) for pid in found.stdout.split()}


def wait_until(env: dict, sql: str, target: int, clusters: list[live.Process]) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    value = count(env, sql)
    while value < target and time.monotonic() < deadline:
        for cluster in clusters:
            assert cluster.popen.poll() is None, cluster.output()[-3000:]
        time.sleep(0.1)
        value = count(env, sql)
    return value


DONE = "SELECT count(*) FROM shared_eventdelivery WHERE status = 'done'"
QUEUE_EMPTY = "SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM django_q_ormq"


def test_two_qclusters_one_killed_mid_run_handle_every_delivery_exactly_once(tmp_path):
    extra = {
        "Q_RETRY": str(RETRY_SECONDS),
        "Q_TIMEOUT": str(RETRY_SECONDS - 1),
        "PROBE_HANDLER_SECONDS": "0.01",
    }
    with live.postgres_env(**extra) as env:
        # given 1,000 events (2,000 deliveries) published, waiting in the queue
        publish = [sys.executable, "-m", "tests.support.probe.publish", str(EVENTS), str(PER_TRANSACTION)]
        subprocess.run(publish, cwd=live.ROOT, env=env, check=True, timeout=300)
        # when a first qcluster has done a quarter of the work, a second one starts and the first
        # is killed -9 (all its processes): it is in the middle of the backlog, holding tasks
        with live.running(["qcluster"], env, tmp_path / "a.log") as first:
            assert wait_until(env, DONE, 2 * EVENTS // 4, [first]) >= 2 * EVENTS // 4
            with live.running(["qcluster"], env, tmp_path / "b.log") as second:
                first_pids = pids_of(first)
                first.kill()
                killed_at = time.monotonic()
                time.sleep(1)
                held = count(env, "SELECT count(*) FROM django_q_ormq WHERE lock > now()")
                # then the second cluster finishes everything, the dead one's tasks included
                done = wait_until(env, DONE, 2 * EVENTS, [second])
                recovered_in = time.monotonic() - killed_at
                # (the live tasks take the dead one's deliveries as soon as its locks are gone;
                # its tasks, handed out again after `retry`, then find them done and do nothing)
                wait_until(env, QUEUE_EMPTY, 1, [second])
                second_pids = pids_of(second)
        deliveries = dict(query(env, "SELECT status, count(*) FROM shared_eventdelivery GROUP BY status"))
        effects = query(env, "SELECT count(*), count(DISTINCT (event_id, handler)) FROM probe_probeeffect")
        by_pid = dict(query(env, "SELECT pid, count(*) FROM probe_probeeffect GROUP BY pid"))
        queued = count(env, "SELECT count(*) FROM django_q_ormq")
    print(f"\n  held by the killed cluster: {held} tasks; all done {recovered_in:.1f} s after the kill")
    assert first.popen.returncode == -signal.SIGKILL
    assert held > 0, "the killed cluster held no task: nothing was redone"
    # every delivery done, every effect once: 0 lost, 0 doubled
    assert done == 2 * EVENTS
    assert deliveries == {"done": str(2 * EVENTS)}
    assert effects == [(str(2 * EVENTS), str(2 * EVENTS))]
    assert queued == 0
    # and both clusters did part of the work
    effects_by_pid = {int(pid): int(n) for pid, n in by_pid.items()}
    assert sum(n for pid, n in effects_by_pid.items() if pid in first_pids) > 0
    assert sum(n for pid, n in effects_by_pid.items() if pid in second_pids) > 0
