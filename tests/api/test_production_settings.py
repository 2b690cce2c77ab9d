"""Production settings (DJANGO_DEBUG=0): `manage.py check --deploy` reports nothing, HTTPS only
behind a TLS proxy (redirect, HSTS, secure cookies) with the probes left on plain HTTP; and an
unknown /api/ path is API.md's JSON 404 whatever DEBUG is.

The production settings are read when a process starts, so each runs in a process of its own."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import override_settings

from tests.integration.test_production_settings import complete as integration_credentials
from tests.support.live import ROOT

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "api.groupbuy.example",
    "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
}


def run(args: list[str], tmp_path, **env) -> subprocess.CompletedProcess:
    """`python *args` with the production settings, every integration credential set (fakes)."""
    environment = {
        **os.environ,
        **PRODUCTION,
        **integration_credentials(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **env,
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "METRICS_ENABLED"):
        if name not in env:
            environment.pop(name, None)
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never production's
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_the_production_settings(tmp_path):
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (1 silenced)." in done.stdout


def test_check_deploy_still_reports_what_the_environment_turns_off(tmp_path):
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
    )
    assert done.returncode == 1
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


# A process with the production settings: its settings, and what its requests get.
REQUESTS = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="api.groupbuy.example")
plain = client.get("/api/v1/solitaires")
tls = client.get("/api/v1/solitaires", HTTP_X_FORWARDED_PROTO="https")
probe = client.get("/api/v1/health")
print(json.dumps({
    "settings": [settings.SECURE_PROXY_SSL_HEADER and list(settings.SECURE_PROXY_SSL_HEADER),
                 settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,
                 settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "plain": [plain.status_code, plain.headers.get("Location")],
    "tls": [tls.status_code, tls.headers.get("Strict-Transport-Security"), tls.json()["code"]],
    "probe": [probe.status_code, probe.headers.get("Location")],
}))
"""


def answers(tmp_path, **env) -> dict:
    done = run(["-c", REQUESTS], tmp_path, LOG_LEVEL="CRITICAL", **env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_behind_the_tls_proxy_plain_http_is_redirected_and_https_is_served_with_hsts(tmp_path):
    found = answers(tmp_path)
    assert found["settings"] == [["HTTP_X_FORWARDED_PROTO", "https"], True, 31_536_000, True, True]
    # plain HTTP goes to HTTPS; what the proxy says came over HTTPS is served (here: 401, no
    # token), with HSTS; the load balancer's probe is answered over plain HTTP (no tables: 503)
    assert found["plain"] == [301, "https://api.groupbuy.example/api/v1/solitaires"]
    assert found["tls"] == [401, "max-age=31536000; includeSubDomains", "not_authenticated"]
    assert found["probe"] == [503, None]


def test_the_https_settings_follow_the_environment(tmp_path):
    found = answers(tmp_path, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="600", SECURE_PROXY_SSL_HEADER="")
    assert found["settings"] == [None, False, 600, True, True]
    assert found["plain"] == [401, None]  # no proxy header trusted, no redirect: gunicorn serves TLS


def test_an_unknown_api_path_is_json_404_also_with_debug_on(api_client, user_client):
    client, _user = user_client("alice")
    with override_settings(DEBUG=True):
        unknown = [api_client.get(path) for path in ("/api/v1/no-such-thing", "/api/nothing", "/api/v1/")]
        missing_order = client.get("/api/v1/orders/no-such-order")
        elsewhere = api_client.get("/no-such-page")
    assert [(r.status_code, r.json()) for r in unknown] == [
        (404, {"code": "not_found", "detail": "未找到。"})
    ] * 3
    assert (missing_order.status_code, missing_order.json()["code"]) == (404, "not_found")
    assert (elsewhere.status_code, elsewhere["Content-Type"].split(";")[0]) == (404, "text/html")
