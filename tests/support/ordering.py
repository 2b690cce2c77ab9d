"""In-memory adapters of ordering's ports, for the unit tests (no database)."""

import copy
import json
from datetime import UTC, datetime

from contexts.ordering import contracts
from contexts.ordering.domain.cart import Cart, CartLine
from contexts.ordering.domain.model import QUANTITY_MAX, Order, Snapshot
from contexts.ordering.domain.payment import NOTIFIED_PAYMENT, Notification, Payment, Refund, RefundFailed
from contexts.ordering.domain.ports import (
    CartRepository,
    GoodsCatalog,
    GoodsSnapshot,
    NotificationLog,
    OrderRepository,
    PaymentGateway,
    PaymentRepository,
    RefundRepository,
    SequenceCounter,
)
from contexts.shared.domain.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    UpstreamFailed,
)
from tests.support.fakes import FakeStoreDirectory, FakeUnitOfWork

NOW = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


class FakeOrders(OrderRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Order] = {}

    def get(self, order_id, *, lock=False):
        row = self.rows.get(order_id)
        return copy.deepcopy(row) if row else None

    def add(self, order):
        keys = {(o.customer_id, o.idempotency_key) for o in self.rows.values() if o.idempotency_key}
        if order.idempotency_key and (order.customer_id, order.idempotency_key) in keys:
            raise contracts.IdempotencyKeyTaken(order.idempotency_key)
        stored = copy.deepcopy(order)
        stored._events = []
        self.rows[order.id] = stored

    def by_idempotency_key(self, customer_id, key):
        found = [o for o in self.rows.values() if (o.customer_id, o.idempotency_key) == (customer_id, key)]
        return copy.deepcopy(found[0]) if found else None

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
    def __init__(self, orders: FakeOrders | None = None) -> None:
        self.rows: dict[str, Payment] = {}
        self.orders = orders  # whose order is whose (get_for_customer)

    def get(self, payment_id):
        return copy.deepcopy(self.rows.get(payment_id))

    def get_for_customer(self, payment_id, customer_id):
        payment = self.rows.get(payment_id)
        order = self.orders.rows.get(payment.order_id) if payment and self.orders else None
        return copy.deepcopy(payment) if order and order.customer_id == customer_id else None

    def for_order(self, order_id):
        return next((copy.deepcopy(p) for p in self.rows.values() if p.order_id == order_id), None)

    def by_order_no(self, order_no):
        return next((copy.deepcopy(p) for p in self.rows.values() if p.order_no == order_no), None)

    def add(self, payment):
        self.rows[payment.id] = copy.deepcopy(payment)
        return payment

    def save(self, payment):
        self.rows[payment.id] = copy.deepcopy(payment)


class FakeNotifications(NotificationLog):
    def __init__(self) -> None:
        self.rows: dict[str, str] = {}

    def record(self, notification, *, payment_id, outcome):
        if notification.log_key in self.rows:
            return False
        self.rows[notification.log_key] = outcome
        return True


class FakeSequences(SequenceCounter):
    def __init__(self) -> None:
        self.rows: dict[str, int] = {}  # the last number of each solitaire

    def next(self, solitaire_id):
        self.rows[solitaire_id] = self.rows.get(solitaire_id, 0) + 1
        return self.rows[solitaire_id]


class FakeCarts(CartRepository):
    def __init__(self) -> None:
        self.rows: dict = {"carts": {}, "lines": {}}

    @property
    def carts(self) -> dict[tuple, Cart]:
        return self.rows["carts"]

    @property
    def lines(self) -> dict[str, CartLine]:
        return self.rows["lines"]

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


def fake_uow() -> FakeUnitOfWork:
    orders = FakeOrders()
    return FakeUnitOfWork(
        orders=orders,
        payments=FakePayments(orders),
        notifications=FakeNotifications(),
        sequences=FakeSequences(),
        carts=FakeCarts(),
        refunds=FakeRefunds(),
    )


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


class FakeGateway(PaymentGateway):
    """Signs a JSON body of the sandbox's shape with a transparent "signature"; `paid_orders`
    are the order numbers a query finds paid ({order_no: (transaction_id, amount_fen)})."""

    name = "fake"

    def __init__(self, *, refuse: bool = False, refund_status: str = "SUCCESS") -> None:
        self.refunds: list[tuple] = []
        self.created: list[dict] = []
        self.closed: list[str] = []
        self.paid_orders: dict[str, tuple[str, int]] = {}
        self.unreachable = False
        self.refuse = refuse
        self.refund_status = refund_status

    def create_payment(self, *, payment_id, order_no, amount_fen, description, payer_openid, expires_at):
        self.created.append({"payment_id": payment_id, "openid": payer_openid, "expires_at": expires_at})
        return {"prepay_id": f"pp-{payment_id}"}

    def sign(self, *, raw_body):
        return f"sig:{len(raw_body)}"

    def parse_notification(self, *, headers, raw_body):
        if headers.get("x-signature") != self.sign(raw_body=raw_body):
            raise NotAuthenticated("bad", code="invalid_signature")
        body = json.loads(raw_body)
        return Notification(
            kind=body.get("kind", NOTIFIED_PAYMENT),
            order_no=body["order_no"],
            amount_fen=body["amount_fen"],
            status=body["status"],
            transaction_id=body["transaction_id"],
            payment_id=body.get("payment_id"),
            refund_id=body.get("refund_id"),
            body=body,
        )

    def paid(self, *, order_no):
        if self.unreachable:
            raise UpstreamFailed("down", code="payment_gateway_failed")
        if order_no not in self.paid_orders:
            return None
        transaction_id, amount_fen = self.paid_orders[order_no]
        return Notification(
            kind=NOTIFIED_PAYMENT,
            order_no=order_no,
            amount_fen=amount_fen,
            status="SUCCESS",
            transaction_id=transaction_id,
        )

    def close(self, *, order_no):
        self.closed.append(order_no)

    def refund(self, *, payment_id, order_no, refund_id, amount_fen, reason):
        if self.refuse:
            raise RefundFailed()
        self.refunds.append((payment_id, amount_fen))
        return {"refund_id": refund_id, "status": self.refund_status}


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


def stores(*, frozen: bool = False) -> FakeStoreDirectory:
    """store-1 (with point-1) and store-2, as the store context would answer for them."""
    directory = FakeStoreDirectory()
    directory.add("store-1", active=not frozen, points=["point-1"])
    directory.add("store-2", points=["point-2"])
    return directory


def goods_lines(*pairs: tuple[str, int]) -> list[contracts.GoodsLineRequest]:
    return [contracts.GoodsLineRequest(goods_id=goods_id, quantity=quantity) for goods_id, quantity in pairs]
