"""GET /stores/{id}/orders/export?format=csv|xlsx&solitaire_id=: the store's paid orders as a
file for the owner and managers. A screen of several contexts, composed here at the edge:
ordering's orders (read in chunks), store's name and pickup points, solitaire's title and
identity's nicknames (one query per chunk). CSV streams row by row; XLSX is written by
openpyxl's write-only workbook into a spooled temporary file and streamed back from it, so
neither holds the whole export (nor any ORM object) in memory."""

import csv
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import serializers
from rest_framework.views import APIView

from bff.serializing import validated
from contexts.identity import queries as identity_queries
from contexts.ordering import queries as ordering_queries
from contexts.ordering.contracts import ExportedOrder
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.text import N_
from contexts.solitaire import queries as solitaire_queries
from contexts.store import queries as store_queries

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ["csv", "xlsx"]
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SPOOL_MAX_BYTES = 8 * 1024 * 1024
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The one header row of both formats, in the order of Export.cells().
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
STATUS_LABELS = {"paid": "已支付", "completed": "已完成", "refunded": "已退款"}
DELIVERY_LABEL = "送货上门"
_ADDRESS_PARTS = ("province", "city", "district", "detail")


def yuan(fen: int) -> str:
    """12345 -> "123.45", by integer arithmetic: a float would round some amounts wrongly."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


@dataclass(frozen=True)
class Export:
    """What the file is named after, and its rows (read once, lazily)."""

    store_name: str
    solitaire_title: str | None
    created_at: datetime
    chunks: Iterator[list[ExportedOrder]]
    points: dict[str, str]
    headers: tuple[str, ...] = HEADERS

    def rows(self) -> Iterator[tuple]:
        for chunk in self.chunks:
            nicknames = {
                user_id: user.nickname
                for user_id, user in identity_queries.users_by_ids({o.customer_id for o in chunk}).items()
            }
            for order in chunk:
                yield self.cells(order, nicknames.get(order.customer_id, ""))

    def cells(self, order: ExportedOrder, nickname: str) -> tuple:
        return (
            order.sequence_no,
            order.order_no,
            nickname,
            order.contact_name,
            order.contact_phone,
            "; ".join(f"{name} x{quantity}" for name, quantity in order.items),
            yuan(order.total_fen),
            order.total_fen,
            STATUS_LABELS[order.status],
            self.pickup(order),
            timezone.localtime(order.paid_at, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
            if order.paid_at
            else "",
        )

    def pickup(self, order: ExportedOrder) -> str:
        if order.pickup_method == "delivery":
            address = order.pickup_address or {}
            place = "".join(str(address.get(part) or "") for part in _ADDRESS_PARTS)
            return f"{DELIVERY_LABEL}：{place}" if place else DELIVERY_LABEL
        # A point removed since the order was placed still says which one it was.
        return self.points.get(order.pickup_point_id, order.pickup_point_id or "")


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def store_export(*, store_id: str, viewer_id: str | None, solitaire_id: str | None) -> Export:
    """Everything is checked before the first byte leaves: an unknown store is 404, a viewer
    without "orders.export" 403, a solitaire that is not this store's 404."""
    store = store_queries.store_summary(store_id)
    chunks = ordering_queries.export_orders(store_id=store.id, viewer_id=viewer_id, solitaire_id=solitaire_id)
    title = None
    if solitaire_id is not None:
        solitaire = solitaire_queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=viewer_id)
        if solitaire.store.id != store.id:
            raise NotFound(N_("No such solitaire."))
        title = solitaire.title
    return Export(
        store_name=store.name,
        solitaire_title=title,
        created_at=timezone.now(),
        chunks=chunks,
        points={point.id: point.name for point in store_queries.pickup_points(store.id)},
    )


class ExportQuery(serializers.Serializer):
    format = serializers.ChoiceField(choices=FORMATS)
    solitaire_id = serializers.CharField(max_length=36, required=False)


class _Echo:
    """A file for csv.writer that hands each formatted line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv_lines(export: Export):
    writer = csv.writer(_Echo())
    # The BOM tells Excel the file is UTF-8; without it Chinese text opens garbled.
    yield "\ufeff" + writer.writerow(export.headers)
    for row in export.rows():
        yield writer.writerow([_csv_cell(value) for value in row])


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):
        return value
    # openpyxl refuses control characters (a nickname may hold them) and would store a
    # string starting with "=" as a formula: a text cell keeps what the customer typed.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def _filename(export: Export, extension: str) -> tuple[str, str]:
    """(ASCII fallback, UTF-8 name) of the attachment."""
    stamp = export.created_at.astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    parts = [export.store_name, export.solitaire_title, "订单", stamp]
    name = "-".join(_UNSAFE_IN_FILENAME.sub("_", part) for part in parts if part)
    return f"orders-{stamp}.{extension}", f"{name}.{extension}"


def _disposition(export: Export, extension: str) -> str:
    ascii_name, utf8_name = _filename(export, extension)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def csv_response(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(export), content_type=CSV)
    response["Content-Disposition"] = _disposition(export, "csv")
    return response


def xlsx_response(export: Export) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("订单")
    sheet.append(list(export.headers))
    for row in export.rows():
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # Not a with-block: the response owns the file and closes it after sending it.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115
    try:
        workbook.save(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = _disposition(export, "xlsx")
    return response


class StoreOrdersExportView(APIView):
    def perform_content_negotiation(self, request, force=False):
        # "format" is also DRF's URL_FORMAT_OVERRIDE: unforced, ?format=csv would look for a
        # CSV renderer and answer 404. Forced, errors still leave as JSON and the files are
        # plain Django responses that bypass the renderers.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=FORMATS, required=True),
            OpenApiParameter("solitaire_id", OpenApiTypes.STR, description="only this solitaire's orders"),
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="UTF-8 with a BOM"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY),
        },
        tags=["orders"],
        operation_id="store_orders_export",
    )
    def get(self, request, store_id: str):
        query = validated(ExportQuery, request.query_params)
        export = store_export(
            store_id=store_id,
            viewer_id=request.user.id,
            solitaire_id=query.get("solitaire_id"),
        )
        if query["format"] == "csv":
            return csv_response(export)
        return xlsx_response(export)
