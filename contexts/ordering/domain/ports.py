"""South ports of ordering: repositories, the unit of work, and the outside it needs."""

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from contexts.ordering.domain.cart import Cart, CartLine
from contexts.ordering.domain.model import Order, Snapshot
from contexts.ordering.domain.payment import Notification, Payment, Refund
from contexts.shared.domain.ports import Repository, UnitOfWork


class OrderNoTaken(Exception):
    """The database already holds this order number: draw another one."""


class OrderRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, order_id: str, *, lock: bool = False) -> Order | None: ...

    @abc.abstractmethod
    def add(self, order: Order) -> None:
        """Raises OrderNoTaken on an order number collision, IdempotencyKeyTaken when the
        customer placed an order under the same key (the transaction is then spoilt: the
        caller's use case must fail and roll back)."""

    @abc.abstractmethod
    def by_idempotency_key(self, customer_id: str, key: str) -> Order | None: ...

    @abc.abstractmethod
    def save_transition(self, order: Order, *, expected: str) -> bool:
        """Write the order's new state only if the stored status is still `expected` (one
        conditional UPDATE). False when another transaction changed it first."""

    @abc.abstractmethod
    def pickup_code_in_use(self, store_id: str, code: str) -> bool: ...

    @abc.abstractmethod
    def past_due_ids(self, now, limit: int) -> list[str]: ...

    @abc.abstractmethod
    def by_pickup_code(self, store_id: str, code: str, *, lock: bool = False) -> Order | None:
        """The store's paid order with that code; else the latest one that had it (already
        completed or refunded); None when no order of the store ever had it."""

    @abc.abstractmethod
    def paid_before_ids(self, cutoff: datetime, limit: int) -> list[str]:
        """Ids of paid orders whose payment is at or before `cutoff`, oldest first."""

    @abc.abstractmethod
    def save_reminder(self, order: Order, *, previous: datetime | None) -> bool:
        """Store order.last_reminded_at only if the stored one is still `previous` and the order
        still paid (a compare-and-set): False when another request reminded first."""


class RefundRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def add(self, refund: Refund) -> None:
        """Raises Conflict when the order has a refund already (one per order, kept by the database)."""

    @abc.abstractmethod
    def set_gateway_result(self, refund_id: str, result: dict) -> None: ...

    @abc.abstractmethod
    def for_order(self, order_id: str) -> Refund | None: ...


class PaymentRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, payment_id: str) -> Payment | None: ...

    @abc.abstractmethod
    def get_for_customer(self, payment_id: str, customer_id: str) -> Payment | None:
        """The payment when its order is this customer's; None otherwise (or when there is none)."""

    @abc.abstractmethod
    def for_order(self, order_id: str) -> Payment | None: ...

    @abc.abstractmethod
    def by_order_no(self, order_no: str) -> Payment | None: ...

    @abc.abstractmethod
    def add(self, payment: Payment) -> Payment:
        """The payment stored for its order: this one, or the twin a concurrent request stored."""

    @abc.abstractmethod
    def save(self, payment: Payment) -> None: ...


class NotificationLog(Repository, abc.ABC):
    @abc.abstractmethod
    def record(self, notification: Notification, *, payment_id: str, outcome: str) -> bool:
        """Record the notification with the outcome of handling it; False, and nothing recorded,
        when a notification of the same fact (notification.log_key) was recorded before (a
        replay)."""


class SequenceCounter(Repository, abc.ABC):
    @abc.abstractmethod
    def next(self, solitaire_id: str) -> int:
        """The solitaire's next number, taken inside the caller's transaction (rolled back with it)."""


class CartRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get_or_open(self, customer_id: str, store_id: str) -> Cart: ...

    @abc.abstractmethod
    def add_line(self, cart: Cart, line: CartLine) -> CartLine:
        """Store the line, or add its quantity to the cart's line of the same item; raises
        InvalidInput when the sum passes the quantity bound."""

    @abc.abstractmethod
    def line(self, line_id: str) -> tuple[Cart, CartLine] | None: ...

    @abc.abstractmethod
    def save_line(self, line: CartLine) -> None: ...

    @abc.abstractmethod
    def delete_line(self, line: CartLine) -> None: ...


class OrderingUnitOfWork(UnitOfWork):
    orders: OrderRepository
    payments: PaymentRepository
    notifications: NotificationLog
    sequences: SequenceCounter
    carts: CartRepository
    refunds: RefundRepository


@dataclass(frozen=True)
class GoodsSnapshot:
    store_id: str
    snapshot: Snapshot
    on_sale: bool


class GoodsCatalog(abc.ABC):
    @abc.abstractmethod
    def snapshot(self, goods_id: str) -> GoodsSnapshot:
        """Raises NotFound for unknown goods."""

    @abc.abstractmethod
    def reserve(self, goods_id: str, quantity: int) -> None:
        """Raises Conflict(code="out_of_stock") when the goods cannot give that much."""


class PaymentGateway(abc.ABC):
    """The payment gateway. One that cannot be reached raises UpstreamFailed."""

    name: str

    @abc.abstractmethod
    def create_payment(
        self,
        *,
        payment_id: str,
        order_no: str,
        amount_fen: int,
        description: str,
        payer_openid: str,
        expires_at: datetime | None,
    ) -> dict:
        """What the mini-program's wx.requestPayment takes."""

    @abc.abstractmethod
    def parse_notification(self, *, headers: Mapping[str, str], raw_body: bytes) -> Notification:
        """NotAuthenticated(code="invalid_signature") for a forged, stale or tampered one."""

    @abc.abstractmethod
    def sign(self, *, raw_body: bytes) -> str:
        """The sandbox's signature of a notification it sends itself."""

    @abc.abstractmethod
    def paid(self, *, order_no: str) -> Notification | None:
        """The gateway's record of the order's payment when it succeeded; None while it has not."""

    @abc.abstractmethod
    def close(self, *, order_no: str) -> None:
        """Best effort: the gateway takes no more money for the order."""

    @abc.abstractmethod
    def refund(self, *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, reason: str) -> dict:
        """The gateway's receipt {"status": "SUCCESS" | "PROCESSING", ...}; RefundFailed when it
        did not take the refund."""
