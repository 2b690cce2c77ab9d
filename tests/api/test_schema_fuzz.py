"""Requests generated from our own OpenAPI document: whatever a client sends to any operation,
the answer is never a server error."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_q.conf import Conf
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from groupbuy.wsgi import application
from tests.support.cluster import FakeSentinel

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def bearer(api_client, db):
    response = api_client.post("/api/v1/auth/wechat-login", {"code": "sandbox-fuzzer"}, format="json")
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def cluster_alive(db):
    """A qcluster seen just now, as in a running system: the health check answers 200 (its 503
    tells that the system is down, which is not a server error of the request)."""
    FakeSentinel().beat(Conf.IDLE)


@pytest.fixture
def wsgi_headers(bearer, cluster_alive):
    # The WSGI handler closes the connection after each request; Django's test client turns
    # that off while it runs, and so must we, or pytest's transaction is closed under the test.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield bearer
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.exclude(path="/api/v1/auth/logout").parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_is_a_server_error(case, wsgi_headers):
    case.call_and_validate(headers=wsgi_headers, checks=[not_a_server_error])
