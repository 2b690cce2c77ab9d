"""GET /stores/{id}/orders/export?format=csv|xlsx&solitaire_id=: the store's paid orders as a
file for the owner and managers. CSV streams row by row; XLSX is written by openpyxl's
write-only workbook into a spooled temporary file and streamed back from it, so neither
holds the whole export (nor any ORM object) in memory."""

import csv
import re
import tempfile
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework import serializers
from rest_framework.views import APIView

from contexts.ordering import export as ordering_export

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ["csv", "xlsx"]
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SPOOL_MAX_BYTES = 8 * 1024 * 1024
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


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


def _csv_lines(export: ordering_export.OrderExport):
    writer = csv.writer(_Echo())
    # The BOM tells Excel the file is UTF-8; without it Chinese text opens garbled.
    yield "\ufeff" + writer.writerow(export.headers)
    for row in export.rows:
        yield writer.writerow([_csv_cell(value) for value in row.cells()])


def _xlsx_cell(sheet, value):
    if not isinstance(value, str):
        return value
    # openpyxl refuses control characters (a nickname may hold them) and would store a
    # string starting with "=" as a formula: a text cell keeps what the customer typed.
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def _filename(export: ordering_export.OrderExport, extension: str) -> tuple[str, str]:
    """(ASCII fallback, UTF-8 name) of the attachment."""
    stamp = export.created_at.astimezone(ordering_export.SHANGHAI).strftime("%Y%m%d-%H%M%S")
    parts = [export.store_name, export.solitaire_title, "订单", stamp]
    name = "-".join(_UNSAFE_IN_FILENAME.sub("_", part) for part in parts if part)
    return f"orders-{stamp}.{extension}", f"{name}.{extension}"


def _disposition(export: ordering_export.OrderExport, extension: str) -> str:
    ascii_name, utf8_name = _filename(export, extension)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def csv_response(export: ordering_export.OrderExport) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(export), content_type=CSV)
    response["Content-Disposition"] = _disposition(export, "csv")
    return response


def xlsx_response(export: ordering_export.OrderExport) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("订单")
    sheet.append(list(export.headers))
    for row in export.rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row.cells()])
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
        query = ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        export = ordering_export.store_export(
            store_id=store_id,
            viewer_id=request.user.id,
            solitaire_id=query.validated_data.get("solitaire_id"),
        )
        if query.validated_data["format"] == "csv":
            return csv_response(export)
        return xlsx_response(export)
