"""Operations: the health check a load balancer and an operator rely on."""

import logging

from django.db import connection
from django_q.brokers import get_broker
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

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
        get_broker().queue_size()  # the ORM broker counts its queue table: a real round trip
        return True
    except Exception:
        log.exception("health: queue check failed")
        return False


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
            },
        )
    )
    def get(self, request):
        database = "ok" if _database_ok() else "down"
        queue = "ok" if database == "ok" and _queue_ok() else "down"
        healthy = database == "ok" and queue == "ok"
        body = {"status": "ok" if healthy else "down", "database": database, "queue": queue}
        return Response(body, status=200 if healthy else 503)
