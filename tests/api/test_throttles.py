"""The throttles of API.md's conventions (bff/throttles.py): THROTTLE_LOGIN per client address,
THROTTLE_ORDERS and THROTTLE_PAY per user, 429 `throttled` with Retry-After; the payment
notification never. Counted in the real Redis (REDIS_URL's cache), shared by every process.

The throttle's clock is frozen in the middle of an hour (FROZEN), so that a window never ends
within a test and Retry-After is exact; each test's keys are its own (a fresh address, fresh
users), since the frozen window is the same in every run."""

import json
import math
import os
import subprocess
import sys
import threading
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from bff import throttles
from bff.throttles import LoginThrottle, WindowRateThrottle
from contexts.identity.models import User
from contexts.ordering.models import Order, Payment, PaymentNotification
from tests.api.test_orders_payments import gateway_body, notify
from tests.api.test_orders_world import build_world, order_body, place, placed
from tests.support.redis import REDIS_TEST_URL

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/wechat-login"
HOUR = 3600
FROZEN = 500_000 * HOUR + 1000.5  # 1000.5 s into an hour: 2599.5 s of the window are left
RETRY_AFTER = "2600"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(WindowRateThrottle, "timer", staticmethod(lambda: FROZEN))


@pytest.fixture
def address() -> str:
    """A client address no other test (or earlier run) used: IPv6's documentation prefix."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def log_in(address: str, name: str, **environ):
    return APIClient().post(LOGIN, {"code": f"sandbox-{name}"}, format="json", REMOTE_ADDR=address, **environ)


@pytest.fixture(params=["redis", "local-memory"])
def any_cache(request):
    """Redis (several web processes) and the local-memory default (one process) count alike."""
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


def test_logins_from_one_address_over_the_rate_are_429_with_retry_after_and_create_nobody(
    any_cache, throttle_rates, address
):
    # given a rate of 3 logins an hour per address
    throttle_rates(login="3/hour")
    # when one address logs five people in
    answers = [log_in(address, f"flood-{n}") for n in range(5)]
    # then the first three are in, the last two refused with when to come back
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    refused = answers[3]
    assert refused.json() == {
        "code": "throttled",
        "detail": f"请求已被限流。 预计 {RETRY_AFTER} 秒后可用。",  # DRF's words, in the default language
    }
    assert [a.get("Retry-After") for a in answers] == [None, None, None, RETRY_AFTER, RETRY_AFTER]
    # and the refused logins created nobody
    assert sorted(str(pk) for pk in User.objects.values_list("pk", flat=True)) == sorted(
        a.json()["user"]["id"] for a in answers[:3]
    )
    # and another address still logs in
    assert log_in(f"{address}:1", "flood-5").status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_login_limit(redis_cache, throttle_rates, address):
    # given no proxy in front (NUM_PROXIES=0, the default): the address is the socket's peer
    throttle_rates(login="2/hour")
    # when a client sends a different X-Forwarded-For with each login
    answers = [log_in(address, f"forger-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(4)]
    # then all of them count against its own address
    assert [a.status_code for a in answers] == [200, 200, 429, 429]


def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(
    redis_cache, throttle_rates, settings, address
):
    # given one reverse proxy in front (NUM_PROXIES=1): every request comes from the proxy's address
    throttle_rates(login="2/hour")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = address
    client_a, client_b = f"{address}:a", f"{address}:b"
    # when two clients log in through it, client a also naming a forged address first
    answers_a = [log_in(proxy, f"a-{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {client_a}") for n in range(3)]
    answers_b = [log_in(proxy, f"b-{n}", HTTP_X_FORWARDED_FOR=client_b) for n in range(2)]
    # then each client has its own count, which its forged entries do not change
    assert [a.status_code for a in answers_a] == [200, 200, 429]
    assert [a.status_code for a in answers_b] == [200, 200]


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def test_placing_orders_over_the_rate_is_429_and_places_nothing(world, redis_cache, throttle_rates):
    # given a rate of 3 orders an hour per user
    throttle_rates(orders="3/hour")
    # when a customer places five orders
    answers = [place(world) for _ in range(5)]
    # then three are placed and the rest refused, with when to come back
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert (answers[3].json()["code"], answers[3]["Retry-After"]) == ("throttled", RETRY_AFTER)
    # and the refused ones reserved nothing: three orders, six eggs taken of ten
    assert Order.objects.filter(customer_id=world["customer_id"]).count() == 3
    eggs = world["owner"].get(f"/api/v1/goods/{world['eggs']}").json()
    assert eggs["stock"] == 10 - 3 * 2
    # and reading orders is not placing them; another customer still places one
    assert world["customer"].get("/api/v1/orders").status_code == 200
    assert place(world, "stranger").status_code == 201


def test_paying_over_the_rate_is_429_and_asks_the_gateway_nothing(world, redis_cache, throttle_rates):
    # given three orders of a customer and a rate of 2 payments an hour per user
    orders = [placed(world, body=order_body(world, (world["eggs"], 1))) for _ in range(3)]
    throttle_rates(pay="2/hour")
    # when the customer pays each of them
    answers = [world["customer"].post(f"/api/v1/orders/{o['id']}/pay") for o in orders]
    # then the third is refused and has no payment
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert (answers[2].json()["code"], answers[2]["Retry-After"]) == ("throttled", RETRY_AFTER)
    assert sorted(Payment.objects.values_list("order_id", flat=True)) == sorted(o["id"] for o in orders[:2])


def test_the_payment_notification_is_never_throttled(world, redis_cache, throttle_rates, address):
    # given a paid-for order and every rate at one request an hour
    order = placed(world)
    payment = world["customer"].post(f"/api/v1/orders/{order['id']}/pay").json()
    throttle_rates(login="1/hour", orders="1/hour", pay="1/hour")
    raw = gateway_body(payment["payment_id"])
    # when the gateway sends its notification five times from one address, and a forged one too
    answers = [notify(raw) for _ in range(5)]
    forged = notify(raw, signature="forged")
    # then each is answered as the gateway expects, none throttled
    assert [a.status_code for a in answers] == [200] * 5
    assert (forged.status_code, forged.json()["code"]) == (401, "invalid_signature")
    assert (Order.objects.get(pk=order["id"]).status, PaymentNotification.objects.count()) == ("paid", 1)


def _login_request(address: str) -> Request:
    return Request(APIRequestFactory().post(LOGIN, {}, format="json", REMOTE_ADDR=address))


def test_of_twenty_concurrent_requests_exactly_the_rate_pass(redis_cache, throttle_rates, address):
    # given a rate of 5 an hour and twenty requests of one address racing, as from many workers
    throttle_rates(login="5/hour")
    barrier = threading.Barrier(20)
    allowed: list[bool] = []

    def request() -> None:
        barrier.wait()
        allowed.append(LoginThrottle().allow_request(_login_request(address), None))

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then exactly five got through
    assert sorted(allowed) == [False] * 15 + [True] * 5


# Another web process: the project's own settings with REDIS_URL (as in production), the same
# frozen clock, its requests through Django's full stack; it prints their statuses.
OTHER_PROCESS = """
import json, sys
import django
django.setup()
from django.test import Client
from bff.throttles import WindowRateThrottle
WindowRateThrottle.timer = staticmethod(lambda: float(sys.argv[1]))
client = Client(REMOTE_ADDR=sys.argv[2])
answers = [client.post("/api/v1/auth/wechat-login", {}, content_type="application/json") for _ in range(3)]
print(json.dumps([[a.status_code, a.headers.get("Retry-After")] for a in answers]))
"""


def test_two_processes_share_one_count_through_redis(redis_cache, throttle_rates, address, tmp_path):
    # given a rate of 4 logins an hour, and this process has used 2 of them for an address
    throttle_rates(login="4/hour")
    assert [log_in(address, f"shared-{n}").status_code for n in range(2)] == [200, 200]
    # when another process, with the same REDIS_URL, sends three logins of the same address
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "groupbuy.test_settings",
        "REDIS_URL": REDIS_TEST_URL,
        "THROTTLE_LOGIN": "4/hour",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",  # a refused login reads nothing
    }
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(FROZEN), address],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    other = json.loads(done.stdout.strip().splitlines()[-1])
    # then its first two are within the rate (an empty body: 400, past the throttle) and its third
    # is refused; and this process is refused too
    assert other == [[400, None], [400, None], [429, RETRY_AFTER]]
    assert log_in(address, "shared-2").status_code == 429


def test_an_unreachable_cache_lets_requests_through_with_a_warning(
    settings, throttle_rates, address, caplog, monkeypatch
):
    # given a cache nobody listens at, and a rate of one login an hour
    monkeypatch.setattr(throttles, "_last_warning", -math.inf)  # not warned yet in this process
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    throttle_rates(login="1/hour")
    # when an address logs in twice
    answers = [log_in(address, f"open-{n}") for n in range(2)]
    # then neither is refused (a throttle that fails would refuse everyone), and it was said
    assert [a.status_code for a in answers] == [200, 200]
    assert [r.getMessage() for r in caplog.records if r.name == "bff.throttles"] == [
        "throttle: the cache cannot be reached; requests go through unthrottled"
    ]


@pytest.mark.parametrize("rate", ["30/minute", "1/second", "120/min", "5/hour", "2/h"])
def test_a_rate_is_n_per_second_minute_or_hour(monkeypatch, rate):
    from groupbuy.settings import env_rate

    monkeypatch.setenv("THROTTLE_ORDERS", rate)
    assert env_rate("THROTTLE_ORDERS", "30/minute") == rate


@pytest.mark.parametrize("rate", ["", "30", "0/minute", "-1/minute", "30/fortnight", "many/minute"])
def test_a_malformed_rate_stops_the_start(monkeypatch, rate):
    from groupbuy.settings import env_rate

    monkeypatch.setenv("THROTTLE_ORDERS", rate)
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_ORDERS"):
        env_rate("THROTTLE_ORDERS", "30/minute")
