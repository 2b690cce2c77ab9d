"""Issue 12 item 6: settle_orders over 10k, 100k and 1M completed orders on PostgreSQL against
its set-based limit: the same settlement as plain SQL in one transaction (settle_driver.BASELINE),
on the same data seeded again; both must leave the same balances, settlements, entries and
revenue rows. `make bench` (BENCH_SETTLE_SIZES=10000,100000 to shorten); BENCH_STRICT=1 also
asserts the goals: at most twice the baseline's time, peak RSS under 300 MB, statements growing
with the batches (and the settlements announced), not with the orders.

The data is the state the OrderCompleted handler leaves, written by generate_series: 100
merchants with a store and an account each, a fifth of the orders through a resale of another
merchant, and a hundredth more completed after as_of, which both runs must leave pending. Both
runs start from a freshly seeded, vacuumed, analysed and checkpointed database. The service runs
in a process of its own (settle_driver.py), which counts its statements in an execute_wrapper."""

import json
import os
import subprocess
import sys

import pytest

from tests.benchmarks.conftest import ROOT

SIZES = [int(size) for size in os.environ.get("BENCH_SETTLE_SIZES", "10000,100000,1000000").split(",")]
MERCHANTS = 100
AS_OF = "2025-06-02T10:00:00+08:00"
GOAL_RATIO, GOAL_RSS_MB = 2.0, 300
# statements <= PER_BATCH x batches + PER_SETTLEMENT x settlements + FIXED: a batch is a fixed
# number of statements, and so is announcing one settlement (outbox, relay, one enqueue per
# subscriber), whatever the number of orders.
GOAL_PER_BATCH, GOAL_PER_SETTLEMENT, GOAL_FIXED = 8, 8, 10
TABLES = ("ledgerentry", "orderrevenue", "settlement", "merchantaccount", "merchantstore", "merchant")


@pytest.fixture(scope="module")
def settle(bench_env, tmp_path_factory, psql):
    """`settle(command, size)` -> the JSON settle_driver printed for one size's state."""
    state_file = tmp_path_factory.mktemp("settle") / "state.json"

    def run(command: str, size: int) -> dict:
        state = {
            "size": size,
            "merchants": MERCHANTS,
            "as_of": AS_OF,
            "database_url": bench_env["DATABASE_URL"],
        }
        state_file.write_text(json.dumps(state))
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.settle_driver", command, str(state_file)],
            cwd=ROOT,
            env=bench_env,
            capture_output=True,
            text=True,
            timeout=max(300, size // 400),
        )
        assert done.returncode == 0, done.stderr[-4000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    yield run
    # The bench database lives until the session ends: leave it without a million orders.
    psql("TRUNCATE " + ", ".join(f"merchant_account_{table}" for table in TABLES))


def test_settling_orders_against_a_set_based_sql_baseline_on_the_same_data(settle):
    results = []
    for size in SIZES:
        # given `size` credited orders completed before as_of (and size/100 after it)
        seeded = settle("seed", size)
        # when settle_orders settles them, in a process of its own
        service = settle("service", size)
        by_service = settle("fingerprint", size)
        # and the baseline settles the same orders, seeded again
        settle("seed", size)
        baseline = settle("baseline", size)
        by_baseline = settle("fingerprint", size)
        results.append(
            {
                "size": size,
                "seeded": seeded,
                "service": service,
                "baseline": baseline,
                "differences": differences(by_service, by_baseline),
                "fingerprint": by_service,
            }
        )
    report(results)

    for result in results:
        size, service, found = result["size"], result["service"], result["fingerprint"]
        # then both runs left the same balances, settlements, entries and revenue rows
        assert not result["differences"], (size, result["differences"])
        # and they are those of `size` orders settled by one settlement per merchant, the late ones pending
        settled, unsettled = found["revenue"][0][:2]
        assert (service["orders"], settled, unsettled) == (size, size, size // 100), found["revenue"]
        assert service["settlements"] == len(found["settlements"]) == MERCHANTS
        assert found["stray_entries"] == [[0]]
        if os.environ.get("BENCH_STRICT"):
            assert ratio(result) <= GOAL_RATIO, (size, service["seconds"], result["baseline"]["seconds"])
            assert service["peak_rss_mb"] < GOAL_RSS_MB, (size, service["peak_rss_mb"])
            assert service["statements"] <= statement_goal(service), (size, service["phases"])


def differences(service: dict, baseline: dict) -> dict:
    """Per part of the fingerprint, the rows only one side has (at most 3 of each)."""
    found = {}
    for name in service.keys() | baseline.keys():
        ours, theirs = service.get(name, []), baseline.get(name, [])
        if ours != theirs:
            found[name] = {
                "service only": [row for row in ours if row not in theirs][:3],
                "baseline only": [row for row in theirs if row not in ours][:3],
            }
    return found


def ratio(result: dict) -> float:
    return result["service"]["seconds"] / result["baseline"]["seconds"]


def statement_goal(service: dict) -> int:
    return GOAL_PER_BATCH * service["batches"] + GOAL_PER_SETTLEMENT * service["settlements"] + GOAL_FIXED


def report(results: list[dict]) -> None:
    cores = os.cpu_count() or 1
    print(f"\n\nsettle_orders against the set-based SQL baseline ({MERCHANTS} merchants, as of {AS_OF};")
    print(f"{cores} cores, shared with whatever else runs on this machine and its PostgreSQL)")
    line = "  {:>9} {:>10} {:>11} {:>7} {:>11} {:>8} {:>12} {:>10} {:>13} {:>5}"
    names = ("orders", "service s", "baseline s", "ratio", "statements", "batches", "peak RSS MB")
    print(line.format(*names, "ru_maxrss", "baseline RSS", "same"))
    for result in results:
        service, baseline = result["service"], result["baseline"]
        figures = (
            result["size"],
            f"{service['seconds']:.2f}",
            f"{baseline['seconds']:.2f}",
            f"{ratio(result):.2f}",
            service["statements"],
            service["batches"],
            f"{service['peak_rss_mb']:.0f}",
            f"{service['ru_maxrss_mb']:.0f}",
            f"{baseline['peak_rss_mb']:.0f}",
            "yes" if not result["differences"] else "NO",
        )
        print(line.format(*figures))
    print("  peak RSS: the driver's VmHWM; ru_maxrss, kept across execve, starts at pytest's own peak")
    print(f"  goals: ratio <= {GOAL_RATIO}, peak RSS < {GOAL_RSS_MB} MB,", end=" ")
    print(f"statements <= {GOAL_PER_BATCH} x batches + {GOAL_PER_SETTLEMENT} x settlements + {GOAL_FIXED}")
    for result in results:
        breakdown(result)


def breakdown(result: dict) -> None:
    """Where each run's time went: the service's phases, its statements by kind (their time in
    the database and the driver) and the rest (Python: planning, building the SQL); the
    baseline's statements."""
    service, baseline = result["service"], result["baseline"]
    sql_seconds = sum(figures["seconds"] for figures in service["by_label"].values())
    batches = service["batch_seconds"]
    phases = ", ".join(
        f"{name} {service['phase_seconds'][name]:.2f} s / {count} statements"
        for name, count in service["phases"].items()
    )
    print(f"\n  {result['size']} orders (seeded in {result['seeded']['seconds']:.1f} s): service {phases}")
    print(
        f"    statements per batch {service['batch_statements']}; batch seconds first {batches[0]:.3f},"
        f" median {sorted(batches)[len(batches) // 2]:.3f}, last {batches[-1]:.3f}, max {max(batches):.3f}"
    )
    python = service["seconds"] - sql_seconds - service["commit_seconds"]
    print(f"    in statements {sql_seconds:.2f} s, in {service['commits']} commits", end=" ")
    print(f"{service['commit_seconds']:.2f} s, the rest (Python) {python:.2f} s;", end=" ")
    print(f"peak RSS {service['rss_before_mb']:.0f} MB before the run (Django loaded), after", end=" ")
    print(f"{service['peak_rss_mb']:.0f} MB")
    by_time = sorted(service["by_label"].items(), key=lambda item: -item[1]["seconds"])
    for name, figures in by_time[:8]:
        print(f"      {name:<32} {figures['count']:>6} x  {figures['seconds']:>8.2f} s")
    commit = baseline["seconds"] - sum(s["seconds"] for s in baseline["statements"])
    print(
        f"    baseline: commit {commit:.2f} s, "
        + ", ".join(f"{s['sql']} {s['rows']} rows {s['seconds']:.2f} s" for s in baseline["statements"])
    )
