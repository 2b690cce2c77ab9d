"""Repositories and mappers model <-> domain, and the ordering unit of work."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection
from django.db.models import Case, F, IntegerField, Value, When

from contexts.ordering import models
from contexts.ordering.adapters.carts import DjangoCartRepository
from contexts.ordering.adapters.payments import (
    DjangoNotificationLog,
    DjangoPaymentRepository,
    DjangoRefundRepository,
)
from contexts.ordering.contracts import IdempotencyKeyTaken
from contexts.ordering.domain.model import (
    PAID,
    ContactInfo,
    Order,
    OrderLine,
    PickupChoice,
    Snapshot,
)
from contexts.ordering.domain.ports import (
    OrderingUnitOfWork,
    OrderNoTaken,
    OrderRepository,
    SequenceCounter,
)
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.values import Address, Phone

ORDER_COLUMNS = (
    "id",
    "order_no",
    "store_id",
    "solitaire_id",
    "resale_id",
    "affiliate_store_id",
    "commission_bps",
    "billing_cycle",
    "customer_id",
    "pickup_method",
    "pickup_point_id",
    "pickup_address",
    "contact_name",
    "contact_phone",
    "remark",
    "status",
    "idempotency_key",
    "sequence_no",
    "pickup_code",
    "cancel_reason",
    "created_at",
    "expires_at",
    "paid_at",
    "completed_at",
    "cancelled_at",
    "completed_by",
    "refunded_at",
    "refund_reason",
    "last_reminded_at",
)
LINE_COLUMNS = ("goods_id", "solitaire_item_id", "name", "image_url", "price_fen", "quantity")
# Paying, confirming, cancelling and refunding each load one order with its lines: one statement
# (LEFT JOIN: an order without lines would still come back), locking only the order's row.
ORDER_WITH_LINES = (
    "SELECT "
    + ", ".join([*(f"o.{name}" for name in ORDER_COLUMNS), *(f"l.{name}" for name in LINE_COLUMNS)])
    + " FROM ordering_order o LEFT OUTER JOIN ordering_orderline l ON l.order_id = o.id"
    + " WHERE o.id = %s ORDER BY l.position"
)
ORDER_WITH_LINES_FIELDS = sql.Columns(
    *(sql.column(models.Order, name) for name in ORDER_COLUMNS),
    *(sql.column(models.OrderLine, name) for name in LINE_COLUMNS),
)


def _order(values: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> Order:
    """The aggregate from its row's values and its lines' (in their order)."""
    address = values["pickup_address"]
    return Order(
        **{name: values[name] for name in ORDER_COLUMNS if name not in MAPPED},
        lines=tuple(
            OrderLine(
                snapshot=Snapshot(
                    goods_id=line["goods_id"],
                    solitaire_item_id=line["solitaire_item_id"],
                    name=line["name"],
                    image_url=line["image_url"],
                    price_fen=line["price_fen"],
                ),
                quantity=line["quantity"],
            )
            for line in lines
        ),
        pickup=PickupChoice(
            method=values["pickup_method"],
            pickup_point_id=values["pickup_point_id"],
            address=Address.from_dict(address) if address else None,
        ),
        # Stored values were checked when the order was placed; they are trusted on the way back.
        contact=ContactInfo(name=values["contact_name"], phone=Phone(values["contact_phone"])),
    )


# The columns that become value objects rather than attributes of the same name.
MAPPED = frozenset({"pickup_method", "pickup_point_id", "pickup_address", "contact_name", "contact_phone"})


def order_to_domain(row: models.Order) -> Order:
    """A model row whose lines were prefetched (the read side's pages)."""
    lines = sorted(row.lines.all(), key=lambda line: line.position)
    return _order(
        {name: getattr(row, name) for name in ORDER_COLUMNS},
        ({name: getattr(line, name) for name in LINE_COLUMNS} for line in lines),
    )


def _lock_clause() -> str:
    # PostgreSQL locks the order's row (FOR UPDATE OF o), as select_for_update(of=("self",))
    # does; SQLite has no row locks (its writers take the database in turn), as the ORM knows.
    return " FOR UPDATE OF o" if connection.features.has_select_for_update_of else ""


STATE_FIELDS = (
    "status",
    "sequence_no",
    "pickup_code",
    "cancel_reason",
    "paid_at",
    "completed_at",
    "cancelled_at",
    "completed_by",
    "refunded_at",
    "refund_reason",
)
# An order's every state change: conditional on the status it was read in (compare-and-set).
UPDATE_STATE = (
    "UPDATE ordering_order SET "
    + ", ".join(f"{name} = %s" for name in STATE_FIELDS)
    + " WHERE id = %s AND status = %s"
)
PICKUP_CODE_IN_USE = "SELECT 1 FROM ordering_order WHERE store_id = %s AND status = %s AND pickup_code = %s"


class DjangoOrderRepository(OrderRepository):
    def _rows(self, lock: bool):
        rows = models.Order.objects.prefetch_related("lines")
        return rows.select_for_update(of=("self",)) if lock else rows

    def get(self, order_id: str, *, lock: bool = False) -> Order | None:
        statement = ORDER_WITH_LINES + (_lock_clause() if lock else "")
        rows = sql.fetch(statement, [str(order_id)], ORDER_WITH_LINES_FIELDS)
        if not rows:
            return None
        split = len(ORDER_COLUMNS)
        values = dict(zip(ORDER_COLUMNS, rows[0][:split], strict=True))
        lines = (dict(zip(LINE_COLUMNS, row[split:], strict=True)) for row in rows if row[split] is not None)
        return _order(values, lines)

    def by_pickup_code(self, store_id: str, code: str, *, lock: bool = False) -> Order | None:
        # Codes are unique among a store's paid orders only: an old, completed order may share
        # a code with a paid one, and the paid one is the one at the counter.
        row = (
            self._rows(lock)
            .filter(store_id=store_id, pickup_code=code)
            .annotate(
                open_first=Case(
                    When(status=PAID, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("open_first", F("paid_at").desc(nulls_last=True), "-created_at")
            .first()
        )
        return order_to_domain(row) if row else None

    def paid_before_ids(self, cutoff: datetime, limit: int) -> list[str]:
        rows = models.Order.objects.filter(status=PAID, paid_at__lte=cutoff).order_by("paid_at")
        return list(rows.values_list("pk", flat=True)[:limit])

    def save_reminder(self, order: Order, *, previous: datetime | None) -> bool:
        rows = models.Order.objects.filter(pk=order.id, status=PAID)
        rows = (
            rows.filter(last_reminded_at__isnull=True)
            if previous is None
            else rows.filter(last_reminded_at=previous)
        )
        return bool(rows.update(last_reminded_at=order.last_reminded_at))

    def add(self, order: Order) -> None:
        row = {
            "id": order.id,
            "order_no": order.order_no,
            "customer_id": order.customer_id,
            "store_id": order.store_id,
            "solitaire_id": order.solitaire_id,
            "resale_id": order.resale_id,
            "affiliate_store_id": order.affiliate_store_id,
            "commission_bps": order.commission_bps,
            "commission_fen": order.commission.fen,
            "billing_cycle": order.billing_cycle,
            "status": order.status,
            "total_fen": order.total.fen,
            "pickup_method": order.pickup.method,
            "pickup_point_id": order.pickup.pickup_point_id,
            "pickup_address": order.pickup.address.as_dict() if order.pickup.address else None,
            "contact_name": order.contact.name,
            "contact_phone": order.contact.phone.number,
            "remark": order.remark,
            "idempotency_key": order.idempotency_key,
            "created_at": order.created_at,
            "expires_at": order.expires_at,
        }
        # Hand-written INSERTs: every join issues them. A taken order number skips the row
        # (ON CONFLICT) instead of failing, so the caller's transaction needs no savepoint.
        try:
            inserted = sql.insert(models.Order, [row], on_conflict_do_nothing="order_no")
        except IntegrityError:
            if order.idempotency_key is None:
                raise
            raise IdempotencyKeyTaken(order.idempotency_key) from None
        if not inserted:
            raise OrderNoTaken(order.order_no)
        sql.insert(
            models.OrderLine,
            [
                {
                    "order_id": order.id,
                    "position": position,
                    "goods_id": line.snapshot.goods_id,
                    "solitaire_item_id": line.snapshot.solitaire_item_id,
                    "name": line.snapshot.name,
                    "image_url": line.snapshot.image_url,
                    "price_fen": line.snapshot.price_fen,
                    "quantity": line.quantity,
                    "subtotal_fen": line.subtotal.fen,
                }
                for position, line in enumerate(order.lines)
            ],
        )

    def by_idempotency_key(self, customer_id: str, key: str) -> Order | None:
        row = self._rows(lock=False).filter(customer_id=customer_id, idempotency_key=key).first()
        return order_to_domain(row) if row else None

    def save_transition(self, order: Order, *, expected: str) -> bool:
        values = [sql.value(models.Order, name, getattr(order, name)) for name in STATE_FIELDS]
        return bool(sql.execute(UPDATE_STATE, [*values, order.id, expected]))

    def pickup_code_in_use(self, store_id: str, code: str) -> bool:
        return bool(sql.fetch(PICKUP_CODE_IN_USE, [store_id, PAID, code]))

    def past_due_ids(self, now: datetime, limit: int) -> list[str]:
        rows = models.Order.objects.filter(status="pending_payment", expires_at__lte=now).order_by(
            "expires_at"
        )
        return list(rows.values_list("pk", flat=True)[:limit])


NEXT_NUMBER = (
    "UPDATE ordering_solitairesequence SET last_no = last_no + 1 WHERE solitaire_id = %s RETURNING last_no"
)


class DjangoSequenceCounter(SequenceCounter):
    def next(self, solitaire_id: str) -> int:
        # One statement: the UPDATE takes the row lock until our commit, so the number it
        # returns is ours (RETURNING: PostgreSQL, SQLite >= 3.35).
        for _attempt in range(2):
            rows = sql.fetch(NEXT_NUMBER, [str(solitaire_id)])
            if rows:
                return rows[0][0]
            # The solitaire's first payment: its counter starts at 0 (a concurrent first payment
            # may insert it first: ours is skipped and the UPDATE waits for its lock).
            sql.insert(
                models.SolitaireSequence,
                [{"solitaire_id": str(solitaire_id), "last_no": 0}],
                on_conflict_do_nothing="solitaire_id",
            )
        raise RuntimeError(f"no sequence counter for solitaire {solitaire_id}")


class DjangoOrderingUow(DjangoUnitOfWork, OrderingUnitOfWork):
    def __init__(self) -> None:
        self.orders = DjangoOrderRepository()
        self.payments = DjangoPaymentRepository()
        self.notifications = DjangoNotificationLog()
        self.sequences = DjangoSequenceCounter()
        self.carts = DjangoCartRepository()
        self.refunds = DjangoRefundRepository()
