"""In-memory adapters of ordering's ports, for the unit tests (no database)."""

import copy
from datetime import UTC, datetime, timedelta

from contexts.ordering import contracts
from contexts.ordering.domain.cart import Cart, CartLine
from contexts.ordering.domain.model import QUANTITY_MAX, Order, Snapshot
from contexts.ordering.domain.payment import Payment, Refund, RefundFailed
from contexts.ordering.domain.ports import (
    CartRepository,
    GoodsCatalog,
    GoodsSnapshot,
    NotificationLog,
    OrderingUnitOfWork,
    OrderRepository,
    PaymentGateway,
    PaymentRepository,
    RefundRepository,
    SequenceCounter,
    Stores,
    StoreStaff,
)
from contexts.shared.domain.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        self.current += timedelta(**delta)


class FakeOrders(OrderRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Order] = {}

    def get(self, order_id, *, lock=False):
        row = self.rows.get(order_id)
        return copy.deepcopy(row) if row else None

    def add(self, order):
        keys = {(o.customer_id, o.idempotency_key) for o in self.rows.values() if o.idempotency_key}
        if order.idempotency_key and (order.customer_id, order.idempotency_key) in keys:
            raise RuntimeError("duplicate idempotency key")
        stored = copy.deepcopy(order)
        stored._events = []
        self.rows[order.id] = stored

    def save_transition(self, order, *, expected):
        if self.rows[order.id].status != expected:
            return False
        stored = copy.deepcopy(order)
        stored._events = []
        self.rows[order.id] = stored
        return True

    def pickup_code_in_use(self, store_id, code):
        return any(
            o.store_id == store_id and o.pickup_code == code and o.status == "paid"
            for o in self.rows.values()
        )

    def past_due_ids(self, now, limit):
        return [o.id for o in self.rows.values() if o.status == "pending_payment" and o.expires_at <= now][
            :limit
        ]

    def by_pickup_code(self, store_id, code, *, lock=False):
        found = [o for o in self.rows.values() if o.store_id == store_id and o.pickup_code == code]
        found.sort(key=lambda o: (o.status != "paid", -(o.paid_at or NOW).timestamp()))
        return copy.deepcopy(found[0]) if found else None

    def paid_before_ids(self, cutoff, limit):
        due = [o for o in self.rows.values() if o.status == "paid" and o.paid_at <= cutoff]
        return [o.id for o in sorted(due, key=lambda o: o.paid_at)][:limit]

    def save_reminder(self, order, *, previous):
        stored = self.rows[order.id]
        if stored.status != "paid" or stored.last_reminded_at != previous:
            return False
        stored.last_reminded_at = order.last_reminded_at
        return True


class FakeRefunds(RefundRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Refund] = {}

    def add(self, refund):
        if any(r.order_id == refund.order_id for r in self.rows.values()):
            raise Conflict("refunded already")
        self.rows[refund.id] = copy.deepcopy(refund)

    def set_gateway_result(self, refund_id, result):
        self.rows[refund_id].gateway_result = dict(result)

    def for_order(self, order_id):
        return next((copy.deepcopy(r) for r in self.rows.values() if r.order_id == order_id), None)


class FakePayments(PaymentRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Payment] = {}

    def get(self, payment_id):
        return copy.deepcopy(self.rows.get(payment_id))

    def for_order(self, order_id):
        return next((copy.deepcopy(p) for p in self.rows.values() if p.order_id == order_id), None)

    def add(self, payment):
        self.rows[payment.id] = copy.deepcopy(payment)
        return payment

    def save(self, payment):
        self.rows[payment.id] = copy.deepcopy(payment)


class FakeNotifications(NotificationLog):
    def __init__(self) -> None:
        self.rows: dict[str, str] = {}

    def record(self, notification, *, raw_body, outcome):
        if notification.transaction_id in self.rows:
            return False
        self.rows[notification.transaction_id] = outcome
        return True

    def set_outcome(self, transaction_id, outcome):
        self.rows[transaction_id] = outcome


class FakeSequences(SequenceCounter):
    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, solitaire_id):
        self.last[solitaire_id] = self.last.get(solitaire_id, 0) + 1
        return self.last[solitaire_id]


class FakeCarts(CartRepository):
    def __init__(self) -> None:
        self.carts: dict[tuple, Cart] = {}
        self.lines: dict[str, CartLine] = {}

    def get_or_open(self, customer_id, store_id):
        return self.carts.setdefault(
            (customer_id, store_id), Cart.open(customer_id=customer_id, store_id=store_id)
        )

    def add_line(self, cart, line):
        for existing in self.lines.values():
            if existing.cart_id == cart.id and existing.snapshot.item_key == line.snapshot.item_key:
                if existing.quantity + line.quantity > QUANTITY_MAX:
                    raise InvalidInput("too many", fields={"quantity": ["too many"]})
                existing.quantity += line.quantity
                return copy.deepcopy(existing)
        self.lines[line.id] = copy.deepcopy(line)
        return line

    def line(self, line_id):
        line = self.lines.get(line_id)
        if line is None:
            return None
        cart = next(c for c in self.carts.values() if c.id == line.cart_id)
        return cart, copy.deepcopy(line)

    def save_line(self, line):
        self.lines[line.id] = copy.deepcopy(line)

    def delete_line(self, line):
        del self.lines[line.id]


class FakeUow(OrderingUnitOfWork):
    """Commits by keeping the repositories' state; rolls back by restoring what it was."""

    def __init__(self) -> None:
        self.orders = FakeOrders()
        self.payments = FakePayments()
        self.notifications = FakeNotifications()
        self.sequences = FakeSequences()
        self.carts = FakeCarts()
        self.refunds = FakeRefunds()
        self.events: list = []
        self.commits = 0

    def _state(self):
        return (
            self.orders.rows,
            self.payments.rows,
            self.notifications.rows,
            self.sequences.last,
            self.carts.lines,
            self.refunds.rows,
        )

    def _begin(self):
        self._saved = copy.deepcopy(self._state())
        self._pending: list = []

    def _write_events(self, events):
        self._pending.extend(events)

    def _end(self, *, commit, exc_type, exc, tb):
        if commit:
            self.events.extend(self._pending)
            self.commits += 1
        else:
            (
                self.orders.rows,
                self.payments.rows,
                self.notifications.rows,
                self.sequences.last,
                self.carts.lines,
                self.refunds.rows,
            ) = self._saved

    def event_types(self) -> list[str]:
        return [event.event_type for event in self.events]


class FakeGoods(GoodsCatalog):
    def __init__(self) -> None:
        self.stock: dict[str, int] = {}
        self.items: dict[str, GoodsSnapshot] = {}

    def put(self, goods_id, *, store_id="store-1", name="鸡蛋", price_fen=1200, stock=10):
        snap = Snapshot(
            goods_id=goods_id,
            solitaire_item_id=None,
            name=name,
            image_url="https://img/e.png",
            price_fen=price_fen,
        )
        self.items[goods_id] = GoodsSnapshot(store_id=store_id, snapshot=snap, on_sale=True)
        self.stock[goods_id] = stock

    def snapshot(self, goods_id):
        if goods_id not in self.items:
            raise NotFound("No such goods.")
        return self.items[goods_id]

    def reserve(self, goods_id, quantity):
        if self.stock[goods_id] < quantity:
            raise Conflict("sold out", code="out_of_stock")
        self.stock[goods_id] -= quantity


class FakeStores(Stores):
    def __init__(self, frozen=()) -> None:
        self.frozen = set(frozen)

    def require_open(self, store_id):
        if store_id in self.frozen:
            raise Conflict("store is frozen")

    def has_pickup_point(self, store_id, pickup_point_id):
        return pickup_point_id == "point-1"


class FakeGateway(PaymentGateway):
    name = "fake"

    def __init__(self, *, refuse: bool = False) -> None:
        self.refunds: list[tuple] = []
        self.created: list[str] = []
        self.refuse = refuse

    def create_payment(self, *, payment_id, order_no, amount_fen, description):
        self.created.append(payment_id)
        return {"prepay_id": f"pp-{payment_id}"}

    def sign(self, *, raw_body):
        return f"sig:{len(raw_body)}"

    def verify(self, *, raw_body, signature):
        import json

        if signature != self.sign(raw_body=raw_body):
            raise NotAuthenticated("bad", code="invalid_signature")
        return json.loads(raw_body)

    def refund(self, *, payment_id, refund_id, amount_fen):
        if self.refuse:
            raise RefundFailed()
        self.refunds.append((payment_id, amount_fen))
        return {"refund_id": refund_id, "status": "SUCCESS"}


class FakeStaff(StoreStaff):
    """roles: {(user_id, store_id): role}; the matrix of the operations ordering asks about."""

    ALLOWED = {
        "orders.verify_pickup": {"owner", "manager", "clerk"},
        "orders.remind": {"owner", "manager", "clerk"},
        "orders.refund": {"owner", "manager"},
    }

    def __init__(self, roles: dict | None = None) -> None:
        self.roles = dict(roles or {})

    def role_of(self, user_id, store_id):
        return self.roles.get((user_id, store_id))

    def authorize(self, user_id, store_id, operation):
        role = self.role_of(user_id, store_id)
        if role not in self.ALLOWED[operation]:
            raise PermissionDenied()
        return role


def line(item="item-1", quantity=1, price_fen=1200, goods_id="goods-1") -> contracts.LineRequest:
    return contracts.LineRequest(
        goods_id=goods_id,
        solitaire_item_id=item,
        name="鸡蛋",
        image_url="",
        price_fen=price_fen,
        quantity=quantity,
    )


PICKUP = contracts.Pickup(method="pickup", pickup_point_id="point-1")
CONTACT = contracts.Contact(name="张三", phone="13800000000")
