"""The event machinery and the qclusters as operations see them: what the health check and the
metrics read. Each answer is one small query on an index (the outbox's undispatched rows, the
deliveries by status, the heartbeats), cheap enough for every probe and scrape."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_q.brokers import get_broker

from contexts.shared.models import ClusterHeartbeat, EventDelivery, OutboxEvent

CLUSTER_SEEN_WITHIN = timedelta(seconds=30)
ALIVE = ("idle", "working")  # a cluster starting or stopping takes no task


@dataclass(frozen=True)
class Clusters:
    alive: int  # clusters seen within CLUSTER_SEEN_WITHIN, taking tasks
    last_seen_seconds: float | None  # since the latest heartbeat of any cluster; None: never


def clusters(*, now: datetime | None = None) -> Clusters:
    now = now or timezone.now()
    found = ClusterHeartbeat.objects.aggregate(
        last_seen=Max("seen_at"),
        alive=Count("pk", filter=_alive(now)),
    )
    last_seen = found["last_seen"]
    return Clusters(alive=found["alive"], last_seen_seconds=_seconds(now, last_seen))


def _alive(now: datetime) -> Q:
    return Q(seen_at__gte=now - CLUSTER_SEEN_WITHIN, status__in=ALIVE)


def oldest_undispatched_event_seconds(*, now: datetime | None = None) -> float | None:
    """How long the oldest outbox event not yet relayed has waited (the partial index
    outbox_undispatched); None when every event was relayed."""
    now = now or timezone.now()
    oldest = OutboxEvent.objects.filter(dispatched_at__isnull=True).aggregate(oldest=Min("created_at"))
    return _seconds(now, oldest["oldest"])


def oldest_pending_delivery_seconds(*, now: datetime | None = None) -> float | None:
    """How long ago the event of the oldest delivery still pending was committed (handlers
    waiting for a cluster, or for a retry); None when nothing is pending."""
    now = now or timezone.now()
    oldest = EventDelivery.objects.filter(status=EventDelivery.Status.PENDING).aggregate(
        oldest=Min("event__created_at")
    )
    return _seconds(now, oldest["oldest"])


def deliveries_by_status() -> dict[str, int]:
    """{"pending": n, "done": n, "failed": n}, every status present."""
    counts = dict.fromkeys(EventDelivery.Status.values, 0)
    rows = EventDelivery.objects.values_list("status").annotate(count=Count("pk")).order_by()
    counts.update(dict(rows))
    return counts


def queue_length() -> int:
    """Tasks waiting in django-q2's queue (the ORM broker's table), not those a worker holds."""
    return get_broker().queue_size()


def _seconds(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round(max(0.0, (now - then).total_seconds()), 3)
