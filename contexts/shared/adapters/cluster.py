"""The qclusters' heartbeat, for the health check (contexts/shared/queries.py).

django-q2's sentinel, the process that guards a cluster's workers, saves the cluster's status
every guard cycle (half a second) through its broker's `set_stat`, into the cache: per process
with the local-memory default, so no web process could read it. This broker is django-q2's ORM
broker (Q_CLUSTER["broker_class"]) whose `set_stat` also writes the status to the database, one
row per cluster: every HEARTBEAT_SECONDS, and at once when the status changes (a cluster stopped
with Ctrl-C or SIGTERM says so within a cycle; one killed -9 just stops beating)."""

import logging
import math
from datetime import timedelta
from time import monotonic

from django.db import close_old_connections, connection, transaction
from django.db.backends.signals import connection_created
from django.utils import timezone
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.humanhash import humanize
from django_q.signing import SignedPackage

from contexts.shared.models import ClusterHeartbeat

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
FORGET_AFTER = timedelta(days=1)  # rows of clusters gone this long are deleted


def status_code(label) -> str:
    """django-q2's status label (translated text) as a stable code."""
    known = {
        str(Conf.STARTING): "starting",
        str(Conf.IDLE): "idle",
        str(Conf.WORKING): "working",
        str(Conf.STOPPING): "stopping",
        str(Conf.STOPPED): "stopped",
    }
    return known.get(str(label), "unknown")


class HeartbeatMixin:
    """For any django-q2 broker: `set_stat` also records the cluster in ClusterHeartbeat."""

    _beaten_at = -math.inf
    _beaten_status: str | None = None

    def set_stat(self, key: str, value: str, timeout: int):
        saved = super().set_stat(key, value, timeout)
        try:
            self._beat(SignedPackage.loads(value))
        except Exception:
            log.warning("cluster heartbeat: could not be written", exc_info=True)
        return saved

    def _beat(self, stat) -> None:
        status = status_code(stat.status)
        now = monotonic()
        if status == self._beaten_status and now - self._beaten_at < HEARTBEAT_SECONDS:
            return
        first = self._beaten_status is None
        # Set before writing, so a database that is down is tried again next beat, not every cycle.
        self._beaten_at, self._beaten_status = now, status
        if transaction.get_autocommit():  # as django-q2's ORM broker does before it reads
            close_old_connections()  # the sentinel never ends a request: drop a broken connection
        seen_at = timezone.now()
        ClusterHeartbeat.objects.update_or_create(
            cluster_id=stat.cluster_id,
            defaults={
                "name": humanize(stat.cluster_id.hex),
                "host": stat.host[:255],
                "pid": stat.pid,
                "status": status,
                "workers": len(stat.workers),
                "started_at": stat.tob,
                "seen_at": seen_at,
            },
        )
        if first:
            ClusterHeartbeat.objects.filter(seen_at__lt=seen_at - FORGET_AFTER).delete()


class QuickCommitMixin:
    """For django-q2's ORM broker: its own writes (a task's lock when handed to a worker, its
    row's deletion when acknowledged) commit without waiting for the disk. Each is one commit
    per task, made by the cluster's pusher or monitor alone, and at ~1-2 ms of flush each they
    were what a drained backlog waited on. A crash of the database server may forget the last
    of them: a task handed out is handed out again, an acknowledged one runs again (the queue
    is at-least-once: delivery tasks find their deliveries done). The workers' transactions,
    whose effects count, keep waiting for the disk."""

    def dequeue(self):
        _commit_without_waiting()
        return super().dequeue()

    def acknowledge(self, task_id):
        _commit_without_waiting()
        return super().acknowledge(task_id)


_quick_commits = False


def _commit_without_waiting() -> None:
    """From the first call in a process on (its pusher or its monitor: nothing else calls the
    broker's dequeue or acknowledge), PostgreSQL's asynchronous commit for its connection, and
    for every connection it opens later (one closed for its age comes back without it)."""
    global _quick_commits
    if _quick_commits or connection.vendor != "postgresql" or not transaction.get_autocommit():
        return
    _quick_commits = True
    _set_quick_commits(connection)
    connection_created.connect(_on_connection_created, dispatch_uid="groupbuy.cluster.quick_commits")


def _on_connection_created(sender, connection, **_kwargs) -> None:
    if connection.alias == Conf.ORM:
        _set_quick_commits(connection)


def _set_quick_commits(wrapper) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")


class HeartbeatORM(HeartbeatMixin, QuickCommitMixin, ORM):
    """django-q2's ORM broker with the heartbeat and quick commits: Q_CLUSTER["broker_class"]."""
