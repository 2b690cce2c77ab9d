"""`make run`'s last step: the web server and one qcluster start together, answer over HTTP,
deliver events through the real cluster, and both stop on Ctrl-C."""

import signal
import subprocess

import pytest

from tests.support import live


@pytest.fixture
def embedded_env(tmp_path):
    return live.migrated_env(tmp_path)


def test_serve_answers_runs_the_cluster_and_stops_both_on_ctrl_c(embedded_env, tmp_path):
    # given the server and its qcluster started as `make run` does
    with live.serve(embedded_env, tmp_path) as (server, api):
        # then it is healthy, its cluster seen just now, and serves the docs
        status, health = api.get("/api/v1/health")
        assert 0 <= health.pop("cluster_last_seen_seconds") < 30
        assert (status, health) == (
            200,
            {
                "status": "ok",
                "database": "ok",
                "queue": "ok",
                "cluster": "ok",
                "clusters_alive": 1,
                "oldest_undispatched_event_seconds": None,
                "oldest_pending_delivery_seconds": None,
            },
        )
        assert api.get("/api/docs/")[0] == 200
        # and the live cluster delivers events: a new store gets its owner and its categories
        token = api.login("serve")
        status, store = api.open_store(token, "13800000077")
        assert status == 201
        staff = api.wait_for(f"/api/v1/stores/{store['id']}/staff", lambda answer: answer[0] == 200, token)
        assert [member["role"] for member in staff[1]] == ["owner"]
        categories = api.wait_for(
            f"/api/v1/stores/{store['id']}/categories", lambda answer: len(answer[1]) == 5, token
        )
        assert len(categories[1]) == 5
        # when Ctrl-C reaches the process group
        stopped_by_itself = server.stop(signal.SIGINT, timeout=30)
        port = api.base.rsplit(":", 1)[1]
        leftovers = subprocess.run(["pgrep", "-f", f"runserver 127.0.0.1:{port}"], capture_output=True)
    # then both children are gone and the banner told the user where to go
    assert stopped_by_itself is True
    text = server.output()
    assert "/api/docs/" in text and "/admin/" in text and "stopped." in text
    assert "operator: operator / operator-demo" in text
    assert leftovers.stdout == b""
