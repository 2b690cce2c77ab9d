"""The dashboard on the admin index: each figure is the database's, days are Shanghai's, and
its cost is a fixed number of queries however many days, stores or orders there are."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bff.backoffice.dashboard import build
from contexts.shared.domain.values import Money
from tests.support.backoffice import (
    delivery_row,
    fee_entry,
    merchant_row,
    notification_row,
    operator_user,
    order_row,
    refund_row,
    store_row,
    user_row,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=SHANGHAI)
TODAY = datetime(2026, 3, 10, tzinfo=SHANGHAI)  # local midnight


def day(offset: int, hour: int = 12, minute: int = 0) -> datetime:
    """A local time `offset` days before today."""
    return (TODAY - timedelta(days=offset)).replace(hour=hour, minute=minute)


@pytest.fixture
def platform():
    """Three stores, four customers and orders in and out of the 30 days, a refund, merchant
    money and failures."""
    fresh = store_row("今日新店", created_at=day(0, 9))
    older = store_row("老店", created_at=day(10))
    ancient = store_row("远古店", created_at=day(40))
    c1, c2, c3, c4 = (user_row(name) for name in ("陈阿姨", "刘先生", "王奶奶", "赵同学"))
    order_row(store=fresh, customer=c1, total_fen=3590, paid_at=day(0, 10))
    order_row(store=fresh, customer=c2, total_fen=4590, paid_at=day(0, 0, 30))  # 16:30 UTC the day before
    order_row(store=older, customer=c1, total_fen=1000, paid_at=day(1, 23, 50))
    order_row(store=older, customer=c3, total_fen=2000, paid_at=day(29, 8))  # the first of the 30 days
    order_row(store=ancient, customer=c1, total_fen=9999, paid_at=day(30, 20))  # one day too old
    order_row(store=fresh, customer=c4, total_fen=500, paid_at=None, created_at=day(0, 11))  # never paid
    refunded = order_row(store=older, customer=c2, total_fen=1500, paid_at=day(5))
    refund_row(refunded, at=day(0, 14))
    merchant = merchant_row(pending_fen=1234)
    merchant_row(pending_fen=566)
    fee_entry(merchant, fee_fen=22, at=day(0, 1))
    fee_entry(merchant, fee_fen=30, at=day(3))
    fee_entry(merchant, fee_fen=99, at=day(40))
    for status in ("failed", "failed", "done"):
        delivery_row(status=status, at=day(0))
    notification_row(status="failed", at=day(0))
    notification_row(status="sent", at=day(0))
    return {"fresh": fresh, "older": older}


def test_each_figure_is_the_database_s_for_today_and_the_last_30_days(platform):
    # when
    dashboard = build(now=NOW)
    # then today: 3590 + 4590 (the second paid at 00:30 Shanghai), two customers, one new store
    today = dashboard.today
    assert (today.gmv, today.paid_orders, today.participants, today.new_stores) == (Money(8180), 2, 2, 1)
    assert (today.refunds, today.refunded, today.fee) == (1, Money(1500), Money(22))
    # and the 30 days: today's, 1000 (yesterday 23:50), 2000 (29 days ago), 1500 (refunded since)
    period = dashboard.period
    assert (period.gmv, period.paid_orders, period.participants, period.new_stores) == (Money(12680), 5, 3, 2)
    assert (period.refunds, period.refunded, period.fee) == (1, Money(1500), Money(52))
    assert (dashboard.pending, dashboard.failed_deliveries, dashboard.failed_notifications) == (
        Money(1800),
        2,
        1,
    )
    assert [(s.name, s.gmv, s.paid_orders, s.bar_percent) for s in dashboard.top_stores] == [
        ("今日新店", Money(8180), 2, 100),
        ("老店", Money(4500), 3, 55),
    ]
    assert dashboard.top_stores[0].url == f"/admin/store/store/{platform['fresh'].pk}/change/"
    # and the chart: one value per day, the last one today's
    chart = dashboard.chart
    assert (len(dashboard.days), dashboard.days[0], dashboard.days[-1]) == (30, day(29).date(), day(0).date())
    assert [(i, fen) for i, fen in enumerate(chart["gmv_fen"]) if fen] == [
        (0, 2000),
        (24, 1500),
        (28, 1000),
        (29, 8180),
    ]
    assert [(i, n) for i, n in enumerate(chart["paid_orders"]) if n] == [(0, 1), (24, 1), (28, 1), (29, 2)]
    assert [(i, n) for i, n in enumerate(chart["participants"]) if n] == [(0, 1), (24, 1), (28, 1), (29, 2)]
    assert [(i, n) for i, n in enumerate(chart["new_stores"]) if n] == [(19, 1), (29, 1)]
    assert [(i, n) for i, n in enumerate(chart["refunds"]) if n] == [(29, 1)]
    assert chart["labels"][-1] == "03月10日"


def test_an_empty_platform_shows_zeros_and_no_store():
    dashboard = build(now=NOW)
    assert (dashboard.today.gmv, dashboard.period.paid_orders, dashboard.top_stores) == (Money(0), 0, [])
    assert (sum(dashboard.chart["gmv_fen"]), dashboard.pending, dashboard.failed_deliveries) == (
        0,
        Money(0),
        0,
    )


def queries_of_the_dashboard() -> int:
    with CaptureQueriesContext(connection) as captured:
        build(now=NOW)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_days_stores_or_orders():
    # given one store with one order today
    shop = store_row("一店", created_at=day(0, 8))
    order_row(store=shop, customer=user_row("甲"), total_fen=100, paid_at=day(0, 9))
    few = queries_of_the_dashboard()
    # when there are 12 stores with orders and refunds on every one of the 30 days
    for number in range(12):
        shop = store_row(f"店 {number}", created_at=day(number * 2))
        for offset in range(30):
            order = order_row(
                store=shop, customer=user_row(f"客 {offset}"), total_fen=100 + offset, paid_at=day(offset)
            )
            if offset % 7 == number % 7:
                refund_row(order, at=day(offset, 18))
    many = queries_of_the_dashboard()
    # then
    assert few == many == 10


def test_an_operator_sees_the_figures_the_chart_data_and_the_links_to_the_failures(client):
    # given today's orders of two stores (the page reads the real clock)
    now = timezone.localtime()
    shop = store_row("鲜果社区店", created_at=now)
    order_row(store=shop, customer=user_row("陈阿姨"), total_fen=3590, paid_at=now)
    order_row(store=shop, customer=user_row("刘先生"), total_fen=123456, paid_at=now)
    delivery_row(status="failed", at=now)
    client.force_login(operator_user())
    # when
    page = client.get("/admin/")
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert '<p class="dash-today">¥1,270.46</p>' in html
    assert "鲜果社区店" in html and "近 30 天成交额排行" in html
    chart = json.loads(
        html.split('<script id="dashboard-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert (chart["gmv_fen"][-1], chart["paid_orders"][-1], chart["names"]["gmv"]) == (
        127046,
        2,
        "成交额（已支付）",
    )
    failed = '<a class="dash-alert is-bad" id="failed-deliveries" href="{}">'
    assert failed.format("/admin/shared/eventdelivery/?status__exact=failed") in html
    assert 'href="/admin/notification/notification/?status__exact=failed"' in html
    assert "backoffice/vendor/chartjs/chart.umd.min.js" in html


def test_a_staff_user_who_may_not_read_orders_sees_no_figures(client, django_user_model):
    # given a staff user with no rights at all
    order_row(
        store=store_row("店", created_at=NOW), customer=user_row("甲"), total_fen=100, paid_at=timezone.now()
    )
    client.force_login(django_user_model.objects.create_user("intern", password="x", is_staff=True))
    # when
    page = client.get("/admin/")
    # then
    assert page.status_code == 200
    assert "dashboard" not in page.context and 'id="dashboard"' not in page.content.decode()
