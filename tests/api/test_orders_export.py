"""GET /stores/{id}/orders/export?format=csv|xlsx&solitaire_id=: the store's paid orders as a
file for the owner and managers."""

import csv
import io
import uuid
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.api.test_solitaires_support import CONTACT, _ok, build_world, join, pay, published_solitaire

HEADERS = [
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
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(user_client, phone_client, api_client):
    return build_world(user_client, phone_client, api_client)


def url(world, store_id: str | None = None) -> str:
    return f"/api/v1/stores/{store_id or world.store['id']}/orders/export"


def local(paid_at: str) -> str:
    return datetime.fromisoformat(paid_at).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")


def goods_order(world, who: str, goods: int, quantity: int, point: int) -> dict:
    body = {
        "store_id": world.store["id"],
        "lines": [{"goods_id": world.goods[goods]["id"], "quantity": quantity}],
        "pickup": {"method": "pickup", "pickup_point_id": world.points[point]["id"]},
        "contact": CONTACT,
    }
    return pay(world[who], _ok(world[who].post("/api/v1/orders", body, format="json"), 201))


@pytest.fixture
def sales(world):
    """Two solitaires and a goods order, all paid, and an unpaid order that is not exported.
    Expected CSV rows per solitaire id (None: outside a solitaire)."""
    points = [point["id"] for point in world.points]
    fruit = published_solitaire(world, pickup_point_ids=points)
    veg = published_solitaire(world, title="蔬菜接龙", pickup_point_ids=points)
    first = pay(world["customer"], _ok(join(world["customer"], fruit, [(0, 2), (1, 1)]), 201))
    second = pay(world["manager"], _ok(join(world["manager"], fruit, [(1, 1)], point=points[1]), 201))
    third = pay(world["customer"], _ok(join(world["customer"], veg, [(1, 1)]), 201))
    _ok(join(world["clerk"], fruit, [(1, 1)]), 201)  # never paid
    loose = goods_order(world, "customer", 0, 1, 1)
    cindy, mary = "Cindy", world.users["manager"]["nickname"]
    default, east = world.points[0]["name"], world.points[1]["name"]

    def row(seq, order, nickname, items, yuan, fen, point):
        return [
            seq,
            order["order_no"],
            nickname,
            CONTACT["name"],
            CONTACT["phone"],
            items,
            yuan,
            fen,
            "已支付",
            point,
            local(order["paid_at"]),
        ]

    return {
        "fruit": fruit,
        "veg": veg,
        fruit["id"]: [
            row("1", first, cindy, "苹果 x2; 香梨 x1", "27.80", "2780", default),
            row("2", second, mary, "香梨 x1", "8.00", "800", east),
        ],
        veg["id"]: [row("1", third, cindy, "香梨 x1", "8.00", "800", default)],
        None: [row("", loose, cindy, "苹果 x1", "12.00", "1200", east)],
    }


def expected_rows(sales) -> list[list[str]]:
    by_solitaire = sorted(key for key in sales if key not in ("fruit", "veg", None))
    return [row for key in [*by_solitaire, None] for row in sales[key]]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["订单"]
    return workbook["订单"]


def as_xlsx(row: list[str]) -> list:
    """A CSV row as the spreadsheet types it: numbers for the sequence and the fen, None for
    a blank cell (an empty nickname included)."""
    seq, *middle, fen, status, point, paid = row
    return [int(seq) if seq else None, *[text or None for text in middle], int(fen), status, point, paid]


def test_the_csv_export_streams_every_paid_order_with_a_bom_and_chinese_headers(world, sales):
    # when
    response = world["owner"].get(url(world), {"format": "csv"})
    # then
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_csv(response) == [HEADERS, *expected_rows(sales)]


def test_the_xlsx_export_holds_the_same_rows(world, sales):
    # when
    response = world["manager"].get(url(world), {"format": "xlsx"})
    # then
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == XLSX
    sheet = read_xlsx(response)
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        HEADERS,
        *[as_xlsx(row) for row in expected_rows(sales)],
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_file_is_an_attachment_with_an_ascii_and_a_utf8_name(world, sales, fmt):
    # when
    response = world["owner"].get(url(world), {"format": fmt, "solitaire_id": sales["veg"]["id"]})
    # then
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="orders-')
    assert f'.{fmt}"; ' in disposition
    assert f"filename*=UTF-8''{quote('幸福小店-蔬菜接龙-订单-', safe='')}" in disposition
    assert disposition.endswith(f".{fmt}")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_of_one_solitaire_holds_only_its_orders(world, sales, fmt):
    # when
    response = world["owner"].get(url(world), {"format": fmt, "solitaire_id": sales["fruit"]["id"]})
    # then
    assert response.status_code == 200
    if fmt == "csv":
        assert read_csv(response) == [HEADERS, *sales[sales["fruit"]["id"]]]
    else:
        rows = [list(row) for row in read_xlsx(response).iter_rows(values_only=True)]
        assert rows == [HEADERS, *[as_xlsx(row) for row in sales[sales["fruit"]["id"]]]]


def test_an_export_with_no_paid_order_is_the_header_alone(world):
    response = world["owner"].get(url(world), {"format": "csv"})
    assert read_csv(response) == [HEADERS]


def test_a_solitaire_of_another_store_or_an_unknown_one_is_404(world):
    # given a solitaire of the other store
    other = world.other_store["id"]
    body = {
        "title": "别家接龙",
        "start_at": "2025-01-01T00:00:00+08:00",
        "end_at": "2035-01-01T00:00:00+08:00",
        "pickup_point_ids": [world.other_point["id"]],
        "items": [{"goods_id": world.other_goods["id"], "stock": 5}],
    }
    foreign = _ok(world["other_staff"].post(f"/api/v1/stores/{other}/solitaires", body, format="json"), 201)
    # when
    responses = [
        world["owner"].get(url(world), {"format": "csv", "solitaire_id": solitaire_id})
        for solitaire_id in (foreign["id"], str(uuid.uuid4()), "not-an-id")
    ]
    # then
    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "not_found")] * 3


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("clerk", 403),
        ("other_staff", 403),
        ("customer", 403),
        ("anonymous", 401),
    ],
)
def test_only_the_owner_and_managers_may_export(world, who, status):
    # when
    response = world[who].get(url(world), {"format": "csv"})
    # then
    assert response.status_code == status
    if status != 200:
        expected = {403: "permission_denied", 401: "not_authenticated"}[status]
        assert response.json()["code"] == expected


def test_an_unknown_store_is_404(world):
    response = world["owner"].get(url(world, str(uuid.uuid4())), {"format": "xlsx"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    "query", [{}, {"format": ""}, {"format": "pdf"}, {"format": "json"}, {"format": "CSV"}]
)
def test_a_missing_or_unknown_format_is_invalid(world, query):
    # when
    response = world["owner"].get(url(world), query)
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["format"]


def test_an_accept_header_asking_for_csv_does_not_stand_in_the_way(world, sales):
    response = world["owner"].get(url(world), {"format": "csv"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert read_csv(response)[1:] == expected_rows(sales)


def test_a_nickname_that_looks_like_a_formula_stays_text(world, user_client):
    # given a customer whose nickname a spreadsheet would run as a formula
    eve, _ = user_client("eve", nickname="=1+2")
    world.clients["eve"] = eve
    goods_order(world, "eve", 1, 1, 0)
    # when
    csv_rows = read_csv(world["owner"].get(url(world), {"format": "csv"}))
    sheet = read_xlsx(world["owner"].get(url(world), {"format": "xlsx"}))
    # then: CSV escapes it with a quote; XLSX stores it as a string cell, never a formula
    assert csv_rows[1][2] == "'=1+2"
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("=1+2", "s")


def test_a_large_csv_export_streams_with_queries_per_chunk_not_per_order(world):
    # given 1,500 paid orders of the store (three chunks), written straight to the database
    from contexts.ordering.queries import EXPORT_CHUNK
    from tests.integration.test_ordering_export import build_orders

    build_orders(world.store["id"], world.points[0]["id"], [world.users["customer"]["id"]], 1500)
    # when
    response = world["owner"].get(url(world), {"format": "csv"})
    with CaptureQueriesContext(connection) as queries:
        lines = list(response.streaming_content)
    # then: the view answered before reading any order; reading costs the orders once, then
    # each chunk's lines and customers
    assert isinstance(response, StreamingHttpResponse)
    assert len(lines) == 1 + 1500
    assert len(queries) == 1 + 2 * (1500 // EXPORT_CHUNK)
