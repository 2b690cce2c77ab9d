"""The error reporter (groupbuy/sentry.py) against a Sentry stand-in on this machine: the real
sentry-sdk sends its envelopes over HTTP to a small server here, which keeps them. A crash
reaches it with its request id, and no phone number or token does."""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
from rest_framework.test import APIClient

from contexts.identity import bootstrap as identity
from groupbuy.sentry import init_sentry

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_args):
        pass


@pytest.fixture
def sentry():
    """Sentry on, its DSN pointing at the collector; off again afterwards."""
    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received = []
    init_sentry(f"http://public@127.0.0.1:{server.server_port}/1", environment="test")
    yield Collector.received
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.init()  # no DSN: nothing is sent
    server.shutdown()


def events(received: list[bytes]) -> list[dict]:
    """The error events among the envelopes (a header line, then item header and payload pairs)."""
    found = []
    for envelope in received:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_a_crash_is_reported_with_its_request_id_and_without_personal_data(sentry, user_client, monkeypatch):
    # given a customer whose phone is known, and reading oneself crashes with it in the message
    client, user = user_client("alice")
    token = client._credentials["HTTP_AUTHORIZATION"].split()[1]

    def crash(**_kwargs):
        raise RuntimeError(f"lookup failed for {PHONE} with Bearer {token}")

    monkeypatch.setattr(identity, "get_me", crash)
    crashing = APIClient(raise_request_exception=False)
    crashing.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    # when the customer asks, with a phone in the query and a body
    response = crashing.get(f"/api/v1/me?phone={PHONE}", HTTP_X_REQUEST_ID="crash-1")
    sentry_sdk.flush(timeout=5)
    # then the customer got the error shape, and Sentry one event
    assert (response.status_code, response.json()["code"]) == (500, "server_error")
    [event] = events(sentry)
    exception = event["exception"]["values"][-1]
    assert (exception["type"], exception["value"]) == (
        "RuntimeError",
        "lookup failed for [phone] with Bearer [token]",
    )
    assert event["tags"]["request_id"] == "crash-1"
    assert event["transaction"] == "/api/v1/me"
    # and nothing in what was sent names the phone, the token or the user
    raw = b"".join(sentry)
    for secret in (PHONE, token, user["id"]):
        assert secret.encode() not in raw, secret
