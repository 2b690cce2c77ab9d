"""A qcluster's heartbeat without a cluster: the status django-q2's sentinel saves every guard
cycle, handed to the project's broker (contexts/shared/adapters/cluster.py) as the sentinel
hands it, so that the health check sees a cluster alive, stopped or silent."""

import uuid

from django.utils import timezone
from django_q.conf import Conf
from django_q.signing import SignedPackage
from django_q.status import Stat, Status

from contexts.shared.adapters.cluster import HeartbeatORM


class FakeSentinel:
    """One cluster's sentinel, as far as its status goes: `beat(Conf.IDLE)` saves its status."""

    def __init__(self, workers: int = 2) -> None:
        self.cluster_id = uuid.uuid4()
        self.broker = HeartbeatORM(list_key=Conf.CLUSTER_NAME)
        self.started_at = timezone.now()
        self.workers = workers

    def beat(self, status=Conf.IDLE) -> None:
        stat = Status(pid=4242, cluster_id=self.cluster_id)
        stat.status, stat.tob, stat.workers = status, self.started_at, list(range(self.workers))
        self.broker.set_stat(Stat.get_key(self.cluster_id), SignedPackage.dumps(stat, True), 3)
