"""The health check against real processes: the web server, then a real qcluster started and
stopped beside it (a migrated SQLite file, Q_SYNC=0). The cluster's heartbeat goes through the
database, so the web process sees it whatever the cache."""

import signal

from tests.support import live

HEALTH = "/api/v1/health"


def test_health_sees_a_live_cluster_come_handle_the_backlog_and_go(tmp_path):
    env = live.migrated_env(tmp_path)
    with live.web_only(env, tmp_path) as (_web, api):
        # given the web server alone: no cluster was ever seen
        status, before = api.get(HEALTH)
        assert (status, before["status"], before["cluster"], before["clusters_alive"]) == (
            503,
            "down",
            "down",
            0,
        )
        assert before["cluster_last_seen_seconds"] is None
        # and a new store, whose after-commit deliveries (categories, door image) wait for a cluster
        token = api.login("health")
        created, store = api.open_store(token, "13800000301")
        assert created == 201
        _status, behind = api.get(HEALTH)
        assert behind["oldest_pending_delivery_seconds"] >= 0
        assert behind["oldest_undispatched_event_seconds"] is None  # relayed at commit
        # when a qcluster starts
        with live.running(["qcluster"], env, tmp_path / "qcluster.log", stop_signal=signal.SIGINT) as cluster:
            up = api.wait_for(
                HEALTH, lambda a: a[0] == 200 and a[1]["oldest_pending_delivery_seconds"] is None
            )
            categories = api.get(f"/api/v1/stores/{store['id']}/categories", token)
            # then it is healthy: one cluster alive, the backlog handled
            assert (up[0], up[1]["status"], up[1]["cluster"], up[1]["clusters_alive"]) == (
                200,
                "ok",
                "ok",
                1,
            ), (
                up,
                cluster.output()[-3000:],
            )
            assert 0 <= up[1]["cluster_last_seen_seconds"] < 30
            assert (categories[0], len(categories[1])) == (200, 5)
            # when it is stopped with Ctrl-C
            stopped_by_itself = cluster.stop(signal.SIGINT)
            down = api.get(HEALTH)
    # then it said so as it stopped: no cluster alive, at once rather than 30 s later
    assert stopped_by_itself is True
    assert (down[0], down[1]["status"], down[1]["cluster"], down[1]["clusters_alive"]) == (
        503,
        "down",
        "down",
        0,
    )
    assert down[1]["cluster_last_seen_seconds"] < 30
