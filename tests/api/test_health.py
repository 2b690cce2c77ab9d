"""GET /api/v1/health: the database, the queue, whether a qcluster was seen within 30 s (its
heartbeat in the database) and how far behind the event machinery is. A live cluster:
tests/integration/test_live_health.py and test_serve_command.py."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django_q.brokers.orm import ORM
from django_q.conf import Conf

from contexts.shared import eventbus
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import ClusterHeartbeat, EventDelivery
from tests.support.cluster import FakeSentinel

pytestmark = pytest.mark.django_db

HEALTH = "/api/v1/health"
NOTHING_BEHIND = {"oldest_undispatched_event_seconds": None, "oldest_pending_delivery_seconds": None}


def health(api_client) -> tuple[int, dict]:
    response = api_client.get(HEALTH)
    return response.status_code, response.json()


def test_with_a_cluster_seen_just_now_health_is_ok(api_client, time_machine):
    # given a cluster whose sentinel saved its status 10 s ago
    FakeSentinel().beat(Conf.IDLE)
    time_machine.advance(seconds=10)
    # when
    status, body = health(api_client)
    # then
    assert status == 200
    assert 10 <= body.pop("cluster_last_seen_seconds") < 11
    assert body == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "cluster": "ok",
        "clusters_alive": 1,
        **NOTHING_BEHIND,
    }


def test_with_no_cluster_ever_seen_health_is_503(api_client):
    assert health(api_client) == (
        503,
        {
            "status": "down",
            "database": "ok",
            "queue": "ok",
            "cluster": "down",
            "clusters_alive": 0,
            "cluster_last_seen_seconds": None,
            **NOTHING_BEHIND,
        },
    )


def test_a_cluster_silent_for_more_than_30_seconds_is_down(api_client, time_machine):
    # given a cluster that beat, then nothing (killed -9, its machine gone)
    FakeSentinel().beat(Conf.WORKING)
    time_machine.advance(seconds=29)
    assert health(api_client)[0] == 200
    # when 31 s have passed since
    time_machine.advance(seconds=2)
    status, body = health(api_client)
    # then
    assert (status, body["status"], body["cluster"], body["clusters_alive"]) == (503, "down", "down", 0)
    assert 31 <= body["cluster_last_seen_seconds"] < 32


def test_a_cluster_that_stopped_is_down_at_once(api_client):
    # given a cluster taking tasks, then stopped with Ctrl-C, all within a heartbeat's interval
    sentinel = FakeSentinel()
    sentinel.beat(Conf.IDLE)
    sentinel.beat(Conf.STOPPING)
    # then no cluster is alive
    status, body = health(api_client)
    assert (status, body["cluster"], body["clusters_alive"]) == (503, "down", 0)
    assert ClusterHeartbeat.objects.get().status == "stopping"


def test_every_cluster_alive_is_counted(api_client):
    for _ in range(3):
        FakeSentinel().beat(Conf.IDLE)
    FakeSentinel().beat(Conf.STARTING)  # not taking tasks yet
    status, body = health(api_client)
    assert (status, body["cluster"], body["clusters_alive"]) == (200, "ok", 3)


def test_the_heartbeat_writes_every_5_seconds_not_every_guard_cycle(time_machine, monkeypatch):
    # given a sentinel that saved its status once (the cycle's clock follows the time machine)
    clock = {"now": 1000.0}
    monkeypatch.setattr("contexts.shared.adapters.cluster.monotonic", lambda: clock["now"])
    sentinel = FakeSentinel()
    sentinel.beat(Conf.IDLE)
    first = ClusterHeartbeat.objects.get().seen_at
    # when it saves the same status every half second for 4.5 s
    for _ in range(9):
        clock["now"] += 0.5
        time_machine.advance(seconds=0.5)
        sentinel.beat(Conf.IDLE)
    # then the database was not written
    assert ClusterHeartbeat.objects.get().seen_at == first
    # and at 5 s it is
    clock["now"] += 0.5
    time_machine.advance(seconds=0.5)
    sentinel.beat(Conf.IDLE)
    assert 5 <= (ClusterHeartbeat.objects.get().seen_at - first).total_seconds() < 6


def test_a_beat_between_writes_costs_no_query(django_assert_num_queries):
    sentinel = FakeSentinel()
    sentinel.beat(Conf.IDLE)
    with django_assert_num_queries(0):
        sentinel.beat(Conf.IDLE)


def test_clusters_gone_for_a_day_are_forgotten_when_a_cluster_starts(time_machine):
    FakeSentinel().beat(Conf.STOPPED)
    time_machine.advance(days=1, seconds=1)
    FakeSentinel().beat(Conf.STARTING)
    assert list(ClusterHeartbeat.objects.values_list("status", flat=True)) == ["starting"]


def test_health_tells_how_old_the_oldest_undispatched_event_and_pending_delivery_are(
    api_client, time_machine
):
    # given an event committed but never relayed (a crash before its relay), and a delivery of
    # an event relayed a little later still waiting for a cluster, then 12 s
    FakeSentinel().beat(Conf.IDLE)
    stuck = DomainEvent(event_type="TestHappened", aggregate_type="test", aggregate_id="t1", payload={})
    eventbus.append_to_outbox([stuck])  # pytest's transaction never commits: no relay
    time_machine.advance(seconds=2)
    waiting = DomainEvent(event_type="TestHappened", aggregate_type="test", aggregate_id="t2", payload={})
    eventbus.append_to_outbox([waiting])
    EventDelivery.objects.create(event_id=waiting.event_id, handler="tests.handler")
    time_machine.advance(seconds=10)
    FakeSentinel().beat(Conf.IDLE)
    # when
    status, body = health(api_client)
    # then the backlog shows, and a cluster is alive: healthy, behind
    assert (status, body["status"]) == (200, "ok")
    assert 12 <= body["oldest_undispatched_event_seconds"] < 13
    assert 10 <= body["oldest_pending_delivery_seconds"] < 11
    # and once it is handled, nothing is behind
    EventDelivery.objects.update(status=EventDelivery.Status.DONE)
    eventbus.relay([stuck.event_id, waiting.event_id])
    assert {k: health(api_client)[1][k] for k in NOTHING_BEHIND} == NOTHING_BEHIND


def test_health_is_503_when_the_queue_cannot_be_read(api_client, monkeypatch):
    FakeSentinel().beat(Conf.IDLE)

    def broken(self):
        raise OperationalError("no such table: django_q_ormq")

    monkeypatch.setattr(ORM, "queue_size", broken)
    status, body = health(api_client)
    assert (status, body["status"], body["database"], body["queue"], body["cluster"]) == (
        503,
        "down",
        "ok",
        "down",
        "ok",
    )


def test_health_is_503_when_the_database_is_down(api_client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    FakeSentinel().beat(Conf.IDLE)

    def broken(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    assert health(api_client) == (
        503,
        {
            "status": "down",
            "database": "down",
            "queue": "down",
            "cluster": "down",
            "clusters_alive": None,
            "cluster_last_seen_seconds": None,
            **NOTHING_BEHIND,
        },
    )


def test_a_cluster_is_alive_30_seconds_after_its_heartbeat_and_no_longer():
    from contexts.shared import queries

    FakeSentinel().beat(Conf.WORKING)
    seen = ClusterHeartbeat.objects.get().seen_at
    assert queries.clusters(now=seen + timedelta(seconds=30)) == queries.Clusters(1, 30.0)
    assert queries.clusters(now=seen + timedelta(seconds=30, milliseconds=1)) == queries.Clusters(0, 30.001)
