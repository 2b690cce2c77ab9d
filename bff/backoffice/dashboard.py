"""The operators' dashboard on the admin index (数据中心): today and the last 30 days.

Each context answers its own figures through its queries; the dashboard composes them here, at
the edge (DESIGN.md: screens that combine several contexts compose their reads at the edge). Ten
queries, however many days, stores or orders there are."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from contexts.merchant_account import queries as merchant_account
from contexts.notification import queries as notification
from contexts.ordering import queries as ordering
from contexts.shared import eventbus
from contexts.shared.domain.values import Money
from contexts.store import queries as store

DAYS = 30
TOP_STORES = 10


@dataclass(frozen=True)
class Period:
    gmv: Money
    paid_orders: int
    participants: int
    new_stores: int
    refunds: int
    refunded: Money
    fee: Money


@dataclass(frozen=True)
class TopStore:
    name: str
    url: str
    gmv: Money
    paid_orders: int
    bar_percent: int  # its GMV against the first store's, for the bar behind the row


@dataclass(frozen=True)
class Dashboard:
    today: Period
    period: Period
    days: list[date]
    chart: dict  # the series of the charts, one value per day (money in fen)
    top_stores: list[TopStore]
    pending: Money
    failed_deliveries: int
    failed_deliveries_url: str
    failed_notifications: int
    failed_notifications_url: str
    orders_url: str


def build(*, now: datetime) -> Dashboard:
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    today_start = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    since, until = today_start - timedelta(days=DAYS - 1), today_start + timedelta(days=1)
    window = {"since": since, "until": until}

    sales = ordering.sales(**window)
    by_day = {row.day: row for row in ordering.sales_by_day(**window, tz=tz)}
    refunds = {row.day: row for row in ordering.refunds_by_day(**window, tz=tz)}
    opened = store.stores_opened_by_day(**window, tz=tz)
    top = ordering.top_stores(**window, limit=TOP_STORES)
    names = store.store_names(row.store_id for row in top)
    money = merchant_account.platform_money(period_since=since, today_since=today_start, until=until)

    days = [since.date() + timedelta(days=n) for n in range(DAYS)]
    now_sales = by_day.get(today)
    best = top[0].gmv_fen if top and top[0].gmv_fen > 0 else 1
    return Dashboard(
        today=Period(
            gmv=Money(now_sales.gmv_fen if now_sales else 0),
            paid_orders=now_sales.paid_orders if now_sales else 0,
            participants=now_sales.participants if now_sales else 0,
            new_stores=opened.get(today, 0),
            refunds=refunds[today].refunds if today in refunds else 0,
            refunded=Money(refunds[today].amount_fen if today in refunds else 0),
            fee=Money(money.fee_today_fen),
        ),
        period=Period(
            gmv=Money(sales.gmv_fen),
            paid_orders=sales.paid_orders,
            participants=sales.participants,
            new_stores=sum(opened.values()),
            refunds=sum(row.refunds for row in refunds.values()),
            refunded=Money(sum(row.amount_fen for row in refunds.values())),
            fee=Money(money.fee_period_fen),
        ),
        days=days,
        chart=_chart(days, by_day, refunds, opened),
        top_stores=[
            TopStore(
                name=names.get(row.store_id, row.store_id),
                url=reverse("admin:store_store_change", args=[row.store_id]),
                gmv=Money(row.gmv_fen),
                paid_orders=row.paid_orders,
                bar_percent=row.gmv_fen * 100 // best,
            )
            for row in top
        ],
        pending=Money(money.pending_fen),
        failed_deliveries=eventbus.failed_count(),
        failed_deliveries_url=reverse("admin:shared_eventdelivery_changelist") + "?status__exact=failed",
        failed_notifications=notification.failed_count(),
        failed_notifications_url=reverse("admin:notification_notification_changelist")
        + "?status__exact=failed",
        orders_url=reverse("admin:ordering_order_changelist"),
    )


def _chart(days: list[date], by_day: dict, refunds: dict, opened: dict) -> dict:
    def series(source: dict, attribute: str) -> list[int]:
        return [getattr(source[day], attribute) if day in source else 0 for day in days]

    return {
        "labels": [formats.date_format(day, "MONTH_DAY_FORMAT") for day in days],
        "gmv_fen": series(by_day, "gmv_fen"),
        "paid_orders": series(by_day, "paid_orders"),
        "participants": series(by_day, "participants"),
        "new_stores": [opened.get(day, 0) for day in days],
        "refunds": series(refunds, "refunds"),
        "names": {
            "gmv": _("GMV (paid)"),
            "paid_orders": _("Paid orders"),
            "participants": _("Participants"),
            "new_stores": _("New stores"),
            "refunds": _("Refunds"),
        },
    }
