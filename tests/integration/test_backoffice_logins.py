"""Failed admin logins are limited per account and address (django-axes): after five, that
account from that address waits, in Chinese; the same account elsewhere, and other accounts
from that address, still log in."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.support.backoffice import operator_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
HERE, ELSEWHERE = "127.0.0.2", "127.0.0.3"


def log_in(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def test_five_wrong_passwords_lock_that_account_from_that_address_only():
    # given two operators
    operator_user("ops")
    operator_user("ops2")
    # when one account fails five times from one address
    failures = [log_in("ops", "wrong", HERE).status_code for _ in range(5)]
    locked = log_in("ops", "ops-password", HERE)
    # then the fifth failure and the right password after it are refused, the page says why
    assert failures == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "该账号在此地址已登录失败 5 次。" in locked.content.decode()
    [attempt] = AccessAttempt.objects.all()
    # (the attempt made while locked out is counted too)
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("ops", HERE, 6)
    # and the same account from elsewhere, and another account from here, log in
    assert log_in("ops", "ops-password", ELSEWHERE).status_code == 302
    assert log_in("ops2", "ops-password", HERE).status_code == 302


def test_a_success_before_the_limit_forgets_the_failures():
    operator_user("ops")
    for _ in range(4):
        assert log_in("ops", "wrong", HERE).status_code == 200
    assert log_in("ops", "ops-password", HERE).status_code == 302
    assert [log_in("ops", "wrong", HERE).status_code for _ in range(4)] == [200, 200, 200, 200]


def test_behind_one_proxy_failures_count_against_the_address_the_proxy_appended(settings):
    # given one reverse proxy in front (NUM_PROXIES=1), through which every login comes
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    operator_user("ops")

    def through_proxy(client_address: str, password: str):
        proxied = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.9, {client_address}")
        return proxied.post(LOGIN, {"username": "ops", "password": password})

    # when one client fails five times (naming a forged address first)
    failures = [through_proxy(HERE, "wrong").status_code for _ in range(5)]
    # then that client is locked out, by its own address, and another client behind the proxy is not
    assert failures == [200, 200, 200, 200, 429]
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [HERE]
    assert through_proxy(ELSEWHERE, "ops-password").status_code == 302
