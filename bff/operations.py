"""Operations: the health check a load balancer, a monitor and an operator rely on.

Healthy (200) when the database answers, the queue can be read and at least one qcluster was
seen taking tasks within the last 30 s (its heartbeat, contexts/shared/adapters/cluster.py);
503 otherwise. It also tells how far behind the event machinery is: the age of the oldest
outbox event not yet relayed and of the oldest delivery still pending (null: none)."""

import logging

from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contexts.shared import queries as machinery

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        log.exception("health: database check failed")
        return False


def _queue_ok() -> bool:
    try:
        machinery.queue_length()  # the ORM broker counts its queue table: a real round trip
        return True
    except Exception:
        log.exception("health: queue check failed")
        return False


def _lag() -> dict:
    """The clusters and the ages of the backlog; all unknown (None) when they cannot be read."""
    try:
        clusters = machinery.clusters()
        return {
            "clusters_alive": clusters.alive,
            "cluster_last_seen_seconds": clusters.last_seen_seconds,
            "oldest_undispatched_event_seconds": machinery.oldest_undispatched_event_seconds(),
            "oldest_pending_delivery_seconds": machinery.oldest_pending_delivery_seconds(),
        }
    except Exception:
        log.exception("health: the event machinery could not be read")
        return dict.fromkeys(LAG_FIELDS)


LAG_FIELDS = (
    "clusters_alive",
    "cluster_last_seen_seconds",
    "oldest_undispatched_event_seconds",
    "oldest_pending_delivery_seconds",
)


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "Health",
            {
                "status": serializers.CharField(),
                "database": serializers.CharField(),
                "queue": serializers.CharField(),
                "cluster": serializers.CharField(help_text="ok: a qcluster was seen within 30 s"),
                "clusters_alive": serializers.IntegerField(allow_null=True),
                "cluster_last_seen_seconds": serializers.FloatField(allow_null=True),
                "oldest_undispatched_event_seconds": serializers.FloatField(allow_null=True),
                "oldest_pending_delivery_seconds": serializers.FloatField(allow_null=True),
            },
        )
    )
    def get(self, request):
        database = "ok" if _database_ok() else "down"
        queue = "ok" if database == "ok" and _queue_ok() else "down"
        lag = _lag() if database == "ok" else dict.fromkeys(LAG_FIELDS)
        cluster = "ok" if lag["clusters_alive"] else "down"
        healthy = database == queue == cluster == "ok"
        body = {
            "status": "ok" if healthy else "down",
            "database": database,
            "queue": queue,
            "cluster": cluster,
            **lag,
        }
        return Response(body, status=200 if healthy else 503)
