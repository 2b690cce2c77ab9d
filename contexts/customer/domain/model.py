"""A store's view of a buyer (StoreCustomer) and the orders that made it (CustomerOrder).

The counters (order count, total spent, first and last order) follow only from paid and
refunded orders; staff change only the remark and the tags."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, Entity, new_id
from contexts.shared.domain.text import N_

REMARK_MAX = 200
TAGS_MAX = 10
TAG_MAX = 20

COUNTED = "counted"
REFUNDED = "refunded"
ORDER_STATES = (COUNTED, REFUNDED)


def check_remark(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput(N_("The remark is invalid."), fields={"remark": [N_("Must be a string.")]})
    value = value.strip()
    if len(value) > REMARK_MAX:
        raise InvalidInput(
            N_("The remark is too long."),
            fields={"remark": [N_("At most {limit} characters.", limit=REMARK_MAX)]},
        )
    return value


def check_tags(value: Any) -> list[str]:
    """Trimmed, de-duplicated in their first order; the limit counts distinct tags."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(tag, str) for tag in value):
        raise InvalidInput(N_("The tags are invalid."), fields={"tags": [N_("Must be a list of strings.")]})
    tags: list[str] = []
    for raw in value:
        tag = raw.strip()
        if not tag:
            raise InvalidInput(N_("The tags are invalid."), fields={"tags": [N_("A tag may not be blank.")]})
        if len(tag) > TAG_MAX:
            raise InvalidInput(
                N_("The tags are invalid."),
                fields={"tags": [N_("Each tag has at most {limit} characters.", limit=TAG_MAX)]},
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise InvalidInput(
            N_("Too many tags."), fields={"tags": [N_("At most {limit} tags.", limit=TAGS_MAX)]}
        )
    return tags


def _check_aware(value: Any, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput(
            N_("{field} must be an aware datetime.", field=name),
            fields={name: [N_("Must be an aware datetime.")]},
        )
    return value


@dataclass(frozen=True)
class PaidOrder:
    """The facts of an OrderPaid this context keeps."""

    order_id: str
    store_id: str
    user_id: str
    total_fen: int
    paid_at: datetime
    phone: str = ""

    def __post_init__(self) -> None:
        for name in ("order_id", "store_id", "user_id"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise InvalidInput(N_("{field} is required.", field=name), fields={name: [N_("Required.")]})
        if isinstance(self.total_fen, bool) or not isinstance(self.total_fen, int) or self.total_fen < 0:
            raise InvalidInput(
                N_("total_fen must be an integer >= 0."), fields={"total_fen": [N_("Must be >= 0.")]}
            )
        _check_aware(self.paid_at, "paid_at")
        if not isinstance(self.phone, str):
            object.__setattr__(self, "phone", "")


@dataclass(frozen=True)
class OrderCount:
    """What counting some paid orders of one customer, one after the other, does to its
    counters: count and total grow, first and last order times widen, and each order taken in
    turn that is the latest so far (paid at or after the last order counted before it) brings
    its phone (when it has one) and the buyer's nickname. The phone that stays is that of the
    last such order of the list (`phone_paid_at` its time), and only if it is also no earlier
    than the customer's last order counted before the list; the nickname, if the latest of the
    list is. So one write of this gives the counters that writing each order in turn gives."""

    count: int
    total_fen: int
    first_paid_at: datetime
    last_paid_at: datetime
    phone: str = ""
    phone_paid_at: datetime | None = None

    @classmethod
    def of(cls, orders: list[PaidOrder]) -> "OrderCount":
        if not orders:
            raise ValueError("an order count needs orders")
        latest: datetime | None = None
        phone, phone_paid_at = "", None
        for order in orders:
            if order.phone and (latest is None or order.paid_at >= latest):
                phone, phone_paid_at = order.phone, order.paid_at
            latest = order.paid_at if latest is None else max(latest, order.paid_at)
        return cls(
            count=len(orders),
            total_fen=sum(order.total_fen for order in orders),
            first_paid_at=min(order.paid_at for order in orders),
            last_paid_at=max(order.paid_at for order in orders),
            phone=phone,
            phone_paid_at=phone_paid_at,
        )


@dataclass(eq=False)
class CustomerOrder(Entity):
    """One per order ever seen, whichever event brought it: an order is counted at most once,
    and uncounted at most once. `store_customer_id` is None for an order whose refund arrived
    before its payment (a delayed OrderPaid): that payment then counts nothing."""

    order_id: str = ""
    store_customer_id: str | None = None
    total_fen: int = 0
    paid_at: datetime | None = None
    state: str = COUNTED

    @classmethod
    def counted(cls, order: PaidOrder, store_customer_id: str) -> "CustomerOrder":
        return cls(
            id=new_id(),
            order_id=order.order_id,
            store_customer_id=store_customer_id,
            total_fen=order.total_fen,
            paid_at=order.paid_at,
            state=COUNTED,
        )

    @classmethod
    def refunded_unseen(cls, *, order_id: str, total_fen: int) -> "CustomerOrder":
        return cls(
            id=new_id(), order_id=order_id, store_customer_id=None, total_fen=total_fen, state=REFUNDED
        )

    @property
    def is_counted(self) -> bool:
        return self.state == COUNTED


UNSET: Any = object()


@dataclass(eq=False)
class StoreCustomer(AggregateRoot):
    store_id: str = ""
    user_id: str = ""
    nickname: str = ""
    phone: str = ""
    order_count: int = 0
    total_spent_fen: int = 0
    first_order_at: datetime | None = None
    last_order_at: datetime | None = None
    remark: str = ""
    tags: list[str] = field(default_factory=list)
    updated_at: datetime | None = None

    @classmethod
    def first_seen(cls, *, store_id: str, user_id: str, now: datetime) -> "StoreCustomer":
        return cls(id=new_id(), store_id=store_id, user_id=user_id, updated_at=now)

    def annotate(self, *, now: datetime, remark: Any = UNSET, tags: Any = UNSET) -> None:
        """Staff's notes. Every value is checked before any is changed."""
        new_remark = self.remark if remark is UNSET else check_remark(remark)
        new_tags = self.tags if tags is UNSET else check_tags(tags)
        self.remark, self.tags, self.updated_at = new_remark, list(new_tags), now
