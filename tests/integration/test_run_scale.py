"""Issue 14 item 2: `make run-scale`'s command on a machine where its database does not exist
yet: it creates and migrates it, seeds the demo, runs the Procfile with honcho (gunicorn with N
workers, M qclusters) on PostgreSQL and Redis, answers over HTTP with its static files, delivers
events through the clusters, and stops every process on Ctrl-C."""

import os
import signal
import subprocess

from tests.support import live

WEB_WORKERS, CLUSTERS = 2, 2
START_SECONDS = 240
# The Redis database of these live tests (the suite's other tests use the local-memory cache).
REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/4")


def test_run_scale_starts_web_workers_and_qclusters_on_a_fresh_database_and_stops_them_on_ctrl_c(tmp_path):
    name = f"{os.environ.get('LIVE_DB_PREFIX', 'groupbuy')}_scale_{os.getpid()}"
    database_url = f"{live.PG_SERVER}/{name}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
        "GROUPBUY_SANDBOX": "1",
    }
    env.pop("Q_SYNC", None)
    port = live.free_port()
    args = ["run_scale", "--web-workers", str(WEB_WORKERS), "--clusters", str(CLUSTERS), "--port", str(port)]
    try:
        with live.running(args, env, tmp_path / "scale.log", stop_signal=signal.SIGINT) as scale:
            api = live.Client(f"http://127.0.0.1:{port}")
            api.wait_healthy(scale, timeout=START_SECONDS)
            started = live.processes_with("DATABASE_URL", database_url)
            groups = {pid: os.getpgid(pid) for pid in started}
            # then the demo is there, and the API docs with their static files are served
            assert api.post("/api/v1/auth/wechat-login", {"code": "sandbox-demo-owner"})[0] == 200
            assert api.get("/api/docs/")[0] == 200
            assert api.get("/static/admin/css/base.css")[0] == 200
            # and an event goes through the clusters: a new store gets its categories
            token = api.login("scale-owner")
            status, store = api.open_store(token, "13800000088")
            assert status == 201, store
            categories = api.wait_for(
                f"/api/v1/stores/{store['id']}/categories", lambda answer: len(answer[1]) == 5, token
            )
            assert len(categories[1]) == 5
            # when Ctrl-C reaches it
            stopped_by_itself = scale.stop(signal.SIGINT, timeout=30)
        left = live.processes_with("DATABASE_URL", database_url)
    finally:
        live.kill_all(live.processes_with("DATABASE_URL", database_url))
        drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        subprocess.run(["psql", f"{live.PG_SERVER}/postgres", "-qc", drop], timeout=60, capture_output=True)
    text = scale.output()
    # then it had created its database, and ran one gunicorn master with its workers and the
    # qclusters, each a process group of its own (its sentinel, pusher, monitor and workers)
    assert f"created database {name}" in text
    gunicorns = [pid for pid, line in started.items() if "gunicorn" in line and "/bin/sh" not in line]
    clusters = {groups[pid] for pid, line in started.items() if "qcluster" in line and "/bin/sh" not in line}
    assert len(gunicorns) == 1 + WEB_WORKERS, started
    assert len(clusters) == CLUSTERS, started
    # and the banner showed where to go, and everything stopped
    assert "/api/docs/" in text and "operator / operator-demo" in text and "stopped." in text
    assert stopped_by_itself is True
    assert left == {}
