"""Read side of the order export (GET /stores/{id}/orders/export): a store's paid orders as
spreadsheet rows, streamed. The orders are read through a database iterator in chunks; each
chunk costs one query for its lines and one for its customers' nicknames, so an export of
any size holds one chunk in memory and costs a constant plus a few queries per chunk."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from contexts.identity import queries as identity_queries
from contexts.ordering import models
from contexts.ordering.domain.model import COMPLETED, PAID, REFUNDED
from contexts.shared.domain.errors import NotFound
from contexts.solitaire import queries as solitaire_queries
from contexts.staff import queries as staff_queries
from contexts.store import queries as store_queries

EXPORT_ORDERS = "orders.export"
CHUNK_SIZE = 500
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The one header row of both formats; ExportRow.cells() follows this order.
HEADERS = (
    "跟团号",
    "订单号",
    "昵称",
    "联系人",
    "联系电话",
    "商品",
    "金额(元)",
    "金额(分)",
    "状态",
    "自提点",
    "支付时间",
)
# Every order that was paid at some time; unpaid, cancelled and expired ones never were.
STATUS_LABELS = {PAID: "已支付", COMPLETED: "已完成", REFUNDED: "已退款"}
DELIVERY_LABEL = "送货上门"

_FIELDS = (
    "id",
    "order_no",
    "customer_id",
    "sequence_no",
    "contact_name",
    "contact_phone",
    "total_fen",
    "status",
    "pickup_method",
    "pickup_point_id",
    "pickup_address",
    "paid_at",
)
_ADDRESS_PARTS = ("province", "city", "district", "detail")


def yuan(fen: int) -> str:
    """12345 -> "123.45", by integer arithmetic: a float would round some amounts wrongly."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


@dataclass(frozen=True)
class ExportRow:
    sequence_no: int | None  # None for an order outside a solitaire
    order_no: str
    nickname: str
    contact_name: str
    contact_phone: str
    items: str
    total_fen: int
    status: str  # the Chinese label
    pickup: str
    paid_at: str  # Asia/Shanghai, "YYYY-MM-DD HH:MM:SS"

    def cells(self) -> tuple:
        return (
            self.sequence_no,
            self.order_no,
            self.nickname,
            self.contact_name,
            self.contact_phone,
            self.items,
            yuan(self.total_fen),
            self.total_fen,
            self.status,
            self.pickup,
            self.paid_at,
        )


@dataclass(frozen=True)
class OrderExport:
    """What the bff needs to name and write the file; `rows` is consumed once, lazily."""

    store_id: str
    store_name: str
    solitaire_id: str | None
    solitaire_title: str | None
    created_at: datetime
    rows: Iterator[ExportRow]
    headers: tuple[str, ...] = HEADERS


def store_export(*, store_id: str, viewer_id: str | None, solitaire_id: str | None = None) -> OrderExport:
    """Checks everything before the first byte leaves: an unknown store is 404, a viewer
    without "orders.export" 403, a solitaire that is not this store's 404. The rows are read
    only while the caller iterates them."""
    summary = store_queries.store_summary(store_id)
    staff_queries.authorize(viewer_id, summary.id, EXPORT_ORDERS)
    title = None
    if solitaire_id is not None:
        solitaire = solitaire_queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=viewer_id)
        if solitaire.store.id != summary.id:
            raise NotFound("No such solitaire.")
        title = solitaire.title
    return OrderExport(
        store_id=summary.id,
        store_name=summary.name,
        solitaire_id=solitaire_id,
        solitaire_title=title,
        created_at=timezone.now(),
        rows=export_rows(store_id=summary.id, solitaire_id=solitaire_id),
    )


def export_rows(*, store_id: str, solitaire_id: str | None = None) -> Iterator[ExportRow]:
    """The store's paid, completed and refunded orders by solitaire, sequence number and
    payment time (orders outside a solitaire last). Queries: the pickup points once, then
    per chunk of CHUNK_SIZE orders its lines and its customers."""
    orders = models.Order.objects.filter(store_id=str(store_id), status__in=list(STATUS_LABELS))
    if solitaire_id is not None:
        orders = orders.filter(solitaire_id=str(solitaire_id))
    orders = orders.order_by(
        F("solitaire_id").asc(nulls_last=True),
        F("sequence_no").asc(nulls_last=True),
        F("paid_at").asc(nulls_last=True),
        "order_no",
    ).values(*_FIELDS)
    points = {point.id: point.name for point in store_queries.pickup_points(store_id)}
    stream = orders.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(stream, CHUNK_SIZE)):
        yield from _rows(chunk, points)


def _rows(chunk: list[dict], points: dict[str, str]) -> Iterator[ExportRow]:
    items: dict[str, list[str]] = defaultdict(list)
    lines = (
        models.OrderLine.objects.filter(order_id__in=[order["id"] for order in chunk])
        .order_by("order_id", "position")
        .values_list("order_id", "name", "quantity")
    )
    for order_id, name, quantity in lines:
        items[order_id].append(f"{name} x{quantity}")
    users = identity_queries.users_by_ids({order["customer_id"] for order in chunk})
    for order in chunk:
        user = users.get(order["customer_id"])
        yield ExportRow(
            sequence_no=order["sequence_no"],
            order_no=order["order_no"],
            nickname=user.nickname if user else "",
            contact_name=order["contact_name"],
            contact_phone=order["contact_phone"],
            items="; ".join(items[order["id"]]),
            total_fen=order["total_fen"],
            status=STATUS_LABELS[order["status"]],
            pickup=_pickup(order, points),
            paid_at=_local(order["paid_at"]),
        )


def _pickup(order: dict, points: dict[str, str]) -> str:
    if order["pickup_method"] == "delivery":
        address = order["pickup_address"] or {}
        place = "".join(str(address.get(part) or "") for part in _ADDRESS_PARTS)
        return f"{DELIVERY_LABEL}：{place}" if place else DELIVERY_LABEL
    point_id = order["pickup_point_id"]
    # A point removed since the order was placed still says which one it was.
    return points.get(point_id, point_id or "")


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
