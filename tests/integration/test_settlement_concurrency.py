"""Two settlement runs at once, as real threads (each with its own connection and transactions,
as two django-q2 workers) and as real processes (`manage.py settle_orders` twice, as an operator
beside the schedule), on SQLite and on PostgreSQL: every order is settled once and every
commission paid once, and the books balance."""

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from contexts.merchant_account import audit, bootstrap
from contexts.merchant_account.models import LedgerEntry, OrderRevenue, Settlement
from contexts.shared.domain.values import Money
from tests.support.money import T0, balances, credit_order, open_merchant, resale_through
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
AS_OF = T0 + timedelta(hours=1)
NEXT_MIDNIGHT = T0.replace(hour=0) + timedelta(days=1)


def orders(count: int, merchants: int = 4):
    """`count` credited orders spread over `merchants` brands, every other one through a resale
    of one affiliate at 10 %; their shops."""
    affiliate = open_merchant()
    brands = [open_merchant() for _ in range(merchants)]
    resale = resale_through(affiliate, commission_bps=1000)
    for n in range(count):
        credit_order(
            store_id=brands[n % merchants].store_id,
            total_fen=1000 + n,
            completed_at=T0 - timedelta(seconds=count - n),
            resale=resale if n % 2 else None,
        )
    return brands, affiliate


def assert_each_order_settled_once(count: int) -> None:
    assert OrderRevenue.objects.filter(settlement__isnull=True).count() == 0
    settled = LedgerEntry.objects.filter(kind="order_settled", balance="available")
    assert settled.count() == settled.values("order_id").distinct().count() == count
    assert audit.audit_money() == []


def test_two_threads_settling_at_once_settle_each_order_once():
    # given
    brands, affiliate = orders(200)
    # when two runs start at the same moment, in batches of 10
    outcomes = run_at_once(
        [lambda: bootstrap.settle_orders(as_of=AS_OF, batch_size=10) for _ in range(2)],
        on_success=lambda summary: summary.orders,
    )
    # then between them every order, once
    assert all(isinstance(n, int) for n in outcomes), outcomes
    assert sum(outcomes) == 200
    assert_each_order_settled_once(200)
    total = sum(1000 + n for n in range(200))
    fees = sum(Money(1000 + n).share_bps(60).fen for n in range(200))
    commissions = sum(Money(1000 + n).share_bps(1000).fen for n in range(1, 200, 2))
    assert sum(balances(b)["available_fen"] for b in brands) == total - fees - commissions
    # and two commission runs at once pay the affiliate once
    paid = run_at_once(
        [lambda: bootstrap.settle_commissions(as_of=NEXT_MIDNIGHT, batch_size=10) for _ in range(2)],
        on_success=lambda summary: summary.orders,
    )
    assert sum(paid) == 100, paid
    assert balances(affiliate)["available_fen"] == commissions
    assert Settlement.objects.filter(kind="commissions").count() == 1
    assert audit.audit_money() == []


def test_four_threads_settling_at_once_settle_each_order_once():
    orders(120, merchants=3)
    outcomes = run_at_once(
        [lambda: bootstrap.settle_orders(as_of=AS_OF, batch_size=7) for _ in range(4)],
        on_success=lambda summary: summary.orders,
    )
    assert sum(outcomes) == 120, outcomes
    assert_each_order_settled_once(120)


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def test_two_processes_settling_at_once_settle_each_order_once():
    # given
    brands, affiliate = orders(400)
    env = {
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
        "Q_SYNC": "0",
        "PATH": "/usr/bin:/bin",
        "LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "manage.py",
        "settle_orders",
        "--as-of",
        AS_OF.isoformat(),
        "--batch-size",
        "10",
    ]
    # when two operators run settle_orders at once
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    ]
    runs.append(
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    )
    outputs = [run.communicate(timeout=120) for run in runs]
    # then both succeed and between them every order is settled, once
    assert [run.returncode for run in runs] == [0, 0], outputs
    settled = [int(re.search(r"orders (\d+),", out).group(1)) for out, _err in outputs]
    assert sum(settled) == 400, outputs
    assert_each_order_settled_once(400)
    assert Settlement.objects.filter(kind="orders").count() == 4 * sum(1 for n in settled if n)
