"""The order export, composed at the edge (bff.export) from ordering's chunks of orders, store's
pickup points and identity's nicknames: which orders, in which order, as which cells, and what
an export of thousands of orders costs in queries."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bff.export import HEADERS, store_export, yuan
from contexts.identity.models import User
from contexts.ordering.models import Order, OrderLine
from contexts.ordering.queries import EXPORT_CHUNK, export_orders
from contexts.staff.models import StoreMember
from contexts.store.models import PickupPoint
from tests.integration.test_ordering_helpers import make_store

pytestmark = pytest.mark.django_db

SOLITAIRE_A = "aaaaaaaa-0000-4000-8000-000000000001"
SOLITAIRE_B = "bbbbbbbb-0000-4000-8000-000000000002"
PAID_AT = datetime(2025, 3, 1, 1, 2, 3, tzinfo=UTC)  # 09:02:03 in Shanghai


def make_user(nickname: str) -> str:
    return str(User.objects.create(username=f"u-{uuid.uuid4().hex[:12]}", nickname=nickname).pk)


def order_row(store_id: str, customer_id: str, n: int, **fields) -> Order:
    created = PAID_AT - timedelta(minutes=5)
    values = {
        "id": str(uuid.uuid4()),
        "order_no": f"E{n:012d}",
        "customer_id": customer_id,
        "store_id": store_id,
        "solitaire_id": None,
        "status": "paid",
        "total_fen": 1000,
        "pickup_method": "pickup",
        "pickup_point_id": None,
        "contact_name": "张三",
        "contact_phone": "13800000000",
        "sequence_no": None,
        "created_at": created,
        "expires_at": created + timedelta(minutes=15),
        "paid_at": PAID_AT,
        **fields,
    }
    if values["status"] in ("pending_payment", "cancelled"):
        values["paid_at"] = None
    return Order(**values)


def line_row(order: Order, position: int, name: str, price_fen: int, quantity: int) -> OrderLine:
    return OrderLine(
        order=order,
        position=position,
        goods_id=f"goods-{name}",
        name=name,
        price_fen=price_fen,
        quantity=quantity,
        subtotal_fen=price_fen * quantity,
    )


OWNER = "owner-of-the-shop"


def export_rows(*, store_id: str, solitaire_id: str | None = None):
    """The export's rows as its owner reads them."""
    return store_export(store_id=store_id, viewer_id=OWNER, solitaire_id=solitaire_id).rows()


def ExportRow(sequence_no, order_no, nickname, contact, phone, items, fen, status, pickup, paid_at):
    """The cells of one row: money once in yuan, once in fen."""
    return (sequence_no, order_no, nickname, contact, phone, items, yuan(fen), fen, status, pickup, paid_at)


@pytest.fixture
def shop():
    store_id, point_id = make_store()
    StoreMember.objects.create(store_id=store_id, user_id=OWNER, role="owner", joined_at=PAID_AT)
    east = PickupPoint.objects.create(
        id=str(uuid.uuid4()),
        store_id=store_id,
        name="东门",
        is_default=False,
        province="广东省",
        city="深圳市",
        district="南山区",
        detail="东门口",
    )
    return {"store_id": store_id, "point_id": point_id, "east_id": east.pk}


def test_the_export_holds_paid_completed_and_refunded_orders_by_solitaire_then_sequence(shop):
    # given orders of two solitaires (saved out of order), one outside any solitaire, and
    # orders that were never paid or belong to another store
    store_id, point_id, east_id = shop["store_id"], shop["point_id"], shop["east_id"]
    cindy, mary = make_user("Cindy"), make_user("玛丽")
    other_store_id, _ = make_store()
    orders = [
        order_row(
            store_id,
            mary,
            1,
            solitaire_id=SOLITAIRE_B,
            sequence_no=1,
            status="refunded",
            total_fen=800,
            pickup_point_id=east_id,
        ),
        order_row(
            store_id,
            cindy,
            2,
            solitaire_id=SOLITAIRE_A,
            sequence_no=2,
            status="completed",
            total_fen=1999,
            pickup_point_id=point_id,
            paid_at=PAID_AT + timedelta(hours=1),
        ),
        order_row(
            store_id,
            mary,
            3,
            solitaire_id=SOLITAIRE_A,
            sequence_no=1,
            total_fen=2780,
            pickup_point_id=east_id,
        ),
        order_row(
            store_id,
            cindy,
            4,
            total_fen=5,
            pickup_method="delivery",
            contact_name="李四",
            pickup_address={"province": "广东省", "city": "深圳市", "district": "福田区", "detail": "1 号"},
        ),
        order_row(store_id, cindy, 5, solitaire_id=SOLITAIRE_A, status="pending_payment"),
        order_row(store_id, cindy, 6, solitaire_id=SOLITAIRE_A, status="cancelled"),
        order_row(other_store_id, cindy, 7, solitaire_id=SOLITAIRE_A, sequence_no=3),
    ]
    Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        [
            line_row(orders[2], 1, "苹果", 990, 2),
            line_row(orders[2], 0, "香梨", 800, 1),
            line_row(orders[1], 0, "土鸡蛋", 1999, 1),
            line_row(orders[0], 0, "香梨", 800, 1),
            line_row(orders[3], 0, "葱", 5, 1),
        ]
    )
    # when
    rows = list(export_rows(store_id=store_id))
    # then
    assert rows == [
        ExportRow(
            1,
            "E000000000003",
            "玛丽",
            "张三",
            "13800000000",
            "香梨 x1; 苹果 x2",
            2780,
            "已支付",
            "东门",
            "2025-03-01 09:02:03",
        ),
        ExportRow(
            2,
            "E000000000002",
            "Cindy",
            "张三",
            "13800000000",
            "土鸡蛋 x1",
            1999,
            "已完成",
            "门店",
            "2025-03-01 10:02:03",
        ),
        ExportRow(
            1,
            "E000000000001",
            "玛丽",
            "张三",
            "13800000000",
            "香梨 x1",
            800,
            "已退款",
            "东门",
            "2025-03-01 09:02:03",
        ),
        ExportRow(
            None,
            "E000000000004",
            "Cindy",
            "李四",
            "13800000000",
            "葱 x1",
            5,
            "已支付",
            "送货上门：广东省深圳市福田区1 号",
            "2025-03-01 09:02:03",
        ),
    ]
    assert rows[0] == (
        1,
        "E000000000003",
        "玛丽",
        "张三",
        "13800000000",
        "香梨 x1; 苹果 x2",
        "27.80",
        2780,
        "已支付",
        "东门",
        "2025-03-01 09:02:03",
    )
    assert len(rows[0]) == len(HEADERS)


def test_the_export_of_one_solitaire_holds_only_its_orders(shop):
    # given
    store_id = shop["store_id"]
    cindy = make_user("Cindy")
    Order.objects.bulk_create(
        [
            order_row(store_id, cindy, 1, solitaire_id=SOLITAIRE_A, sequence_no=1),
            order_row(store_id, cindy, 2, solitaire_id=SOLITAIRE_B, sequence_no=1),
            order_row(store_id, cindy, 3),
        ]
    )
    # when ordering reads the orders of one solitaire
    chunks = list(export_orders(store_id=store_id, viewer_id=OWNER, solitaire_id=SOLITAIRE_B))
    # then
    assert [(order.order_no, order.sequence_no) for chunk in chunks for order in chunk] == [
        ("E000000000002", 1)
    ]


def test_an_unknown_customer_and_a_removed_pickup_point_still_make_a_row(shop):
    # given a customer the identity context does not know and a point that no longer exists
    Order.objects.bulk_create(
        [order_row(shop["store_id"], str(uuid.uuid4()), 1, pickup_point_id="gone-point")]
    )
    # when
    rows = list(export_rows(store_id=shop["store_id"]))
    # then
    assert [(row[2], row[9], row[5]) for row in rows] == [("", "gone-point", "")]


@pytest.mark.parametrize(
    ("fen", "expected"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (10, "0.10"),
        (1999, "19.99"),
        (123456789012345678, "1234567890123456.78"),
        (-150, "-1.50"),
    ],
)
def test_yuan_is_computed_with_integers(fen, expected):
    assert yuan(fen) == expected


def build_orders(store_id: str, point_id: str, customers: list[str], count: int) -> None:
    orders = [
        order_row(
            store_id,
            customers[n % len(customers)],
            n,
            solitaire_id=SOLITAIRE_A,
            sequence_no=n + 1,
            pickup_point_id=point_id,
        )
        for n in range(count)
    ]
    Order.objects.bulk_create(orders, batch_size=500)
    OrderLine.objects.bulk_create(
        [line_row(order, position, name, 500, 1) for order in orders for position, name in enumerate("甲乙")],
        batch_size=1000,
    )


def test_an_export_of_3000_orders_costs_a_constant_plus_two_queries_per_chunk(shop):
    # given 3,000 paid orders of 20 customers, two lines each (six chunks of 500)
    customers = [make_user(f"顾客{n}") for n in range(20)]
    build_orders(shop["store_id"], shop["point_id"], customers, 3000)
    # when the rows are read
    with CaptureQueriesContext(connection) as queries:
        rows = export_rows(store_id=shop["store_id"])
        before_any_row = len(queries)
        first = next(rows)
        after_first_chunk = len(queries)
        count = 1 + sum(1 for _ in rows)
    # then: the store, the viewer's role and the points before the first row; the orders once;
    # each chunk's lines and customers once
    assert count == 3000
    assert (first[0], first[2], first[5]) == (1, "顾客0", "甲 x1; 乙 x1")
    assert before_any_row == 3
    assert after_first_chunk == before_any_row + 1 + 2
    assert len(queries) == before_any_row + 1 + 2 * (3000 // EXPORT_CHUNK)
