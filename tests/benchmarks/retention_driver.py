"""The retention benchmark's Django side, run as `python -m tests.benchmarks.retention_driver
<command> <state.json>` on the bench database; each command prints one JSON line.

  sweep  eventbus.sweep() `runs` times: each run's seconds and its statements' seconds by kind
  prune  retention.prune() within `budget` seconds: rows removed, seconds, per-batch seconds"""

import json
import sys
import time
from collections import defaultdict

import django

django.setup()

from django.db import connection  # noqa: E402

from contexts.shared import eventbus, retention  # noqa: E402


class Timer:
    """An execute_wrapper summing each statement's seconds under its first words and table."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.count: dict[str, int] = defaultdict(int)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            words = sql.split()
            table = next((w.split(".")[0].strip('"') for w in words if w.startswith('"') and "_" in w), "")
            kind = f"{words[0]} {table}"
            self.seconds[kind] += time.perf_counter() - started
            self.count[kind] += 1


def sweep(state: dict) -> dict:
    runs = []
    for _run in range(state["runs"]):
        timer = Timer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            found = eventbus.sweep()
        runs.append(
            {
                "seconds": time.perf_counter() - started,
                "found": found,
                "statements": {k: [timer.count[k], round(v * 1000, 2)] for k, v in timer.seconds.items()},
            }
        )
    return {"runs": runs}


def prune(state: dict) -> dict:
    started = time.perf_counter()
    removed = retention.prune(batch=state["batch"], budget_seconds=state["budget"])
    return {"removed": removed, "prune_seconds": time.perf_counter() - started}


if __name__ == "__main__":
    command, path = sys.argv[1], sys.argv[2]
    with open(path) as source:
        given = json.load(source)
    print(json.dumps({"sweep": sweep, "prune": prune}[command](given), default=str))
