"""Paid orders whose OrderPaid waits in the queue with its four after-commit deliveries (goods,
customer, solitaire, notification), as when no cluster runs: the world they need (buyers with
openids, goods, a published solitaire), the queued tasks, and every effect the four handlers
have, keyed by order so that two runs compare whatever ids they generated."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from contexts.shared import tasks
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.events import DomainEvent
from tests.support.queue import relayed_to_the_queue
from tests.support.rows import goods_row

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
STORE = "store-paid"
SOLITAIRE = "sol-paid"
HANDLERS = {
    "goods": "contexts.goods.tasks.on_order_paid",
    "customer": "contexts.customer.tasks.on_order_paid",
    "solitaire": "contexts.solitaire.tasks.on_order_paid",
    "notification": "contexts.notification.tasks.on_order_paid",
}


@dataclass
class World:
    buyers: list[str] = field(default_factory=list)  # user ids
    goods: list[str] = field(default_factory=list)
    sequence: int = 0


def world(*, buyers: int = 3) -> World:
    """Buyers (with nicknames and WeChat openids), two goods and a published solitaire."""
    from contexts.solitaire.models import Solitaire

    made = World()
    for n in range(buyers):
        user = get_user_model().objects.create(
            username=f"buyer-{n}", openid=f"openid-{n}", nickname=f"买家{n}"
        )
        made.buyers.append(str(user.pk))
    for n in range(2):
        made.goods.append(f"goods-paid-{n}")
        goods_row(made.goods[-1], STORE, stock=1000)
    Solitaire.objects.create(
        id=SOLITAIRE,
        store_id=STORE,
        title="接龙",
        status="published",
        start_at=T0 - timedelta(days=1),
        end_at=T0 + timedelta(days=30),
        pickup_point_ids=["p1"],
        created_at=T0 - timedelta(days=1),
    )
    return made


def paid_payload(
    w: World, *, buyer: int, at: datetime, lines: list[tuple[str, int]], phone: str = ""
) -> dict:
    """An OrderPaid payload as ordering publishes it; `lines` are (goods id, quantity)."""
    w.sequence += 1
    order_id = str(uuid.uuid4())
    return {
        "order_id": order_id,
        "order_no": f"2025030100{w.sequence:04d}",
        "store_id": STORE,
        "solitaire_id": SOLITAIRE,
        "resale_id": None,
        "customer_id": w.buyers[buyer],
        "sequence_no": w.sequence,
        "total_fen": sum(100 * quantity for _goods, quantity in lines),
        "lines": [
            {
                "goods_id": goods,
                "solitaire_item_id": None,
                "name": "蛋",
                "price_fen": 100,
                "quantity": quantity,
            }
            for goods, quantity in lines
        ],
        "contact_phone": phone,
        "occurred_at": at.isoformat(),
    }


def pay_waiting(payload: dict) -> str:
    """Commit the OrderPaid in its own transaction, as a payment does, and relay it to the
    queue without running its task (no cluster): its id."""
    event = DomainEvent(
        "OrderPaid", aggregate_type="Order", aggregate_id=payload["order_id"], payload=payload
    )
    with relayed_to_the_queue(), DjangoUnitOfWork() as uow:
        uow.publish(event)
        uow.commit()
    return event.event_id


def queued() -> list[tuple]:
    """The arguments of every queued task, oldest first."""
    return [SignedPackage.loads(row.payload)["args"] for row in OrmQ.objects.order_by("id")]


def run(task_args: tuple) -> dict:
    """One queued task, as a worker runs it: how many of its deliveries ended in each status."""
    return tasks.deliver_events(*task_args)


def effects() -> dict:
    """Everything the four handlers wrote, by order (or goods, or buyer), without the ids and
    times they generate."""
    from contexts.customer.models import CustomerOrder, StoreCustomer
    from contexts.goods.models import Goods
    from contexts.integration.models import SandboxMessage
    from contexts.notification.models import Notification
    from contexts.solitaire.models import Participation

    customers = {
        row.user_id: (
            row.store_id,
            row.nickname,
            row.phone,
            row.order_count,
            row.total_spent_fen,
            row.first_order_at,
            row.last_order_at,
        )
        for row in StoreCustomer.objects.all()
    }
    buyer_of = dict(StoreCustomer.objects.values_list("id", "user_id"))
    return {
        "sales": dict(Goods.objects.values_list("id", "sales")),
        "customers": customers,
        "customer_orders": {
            row.order_id: (buyer_of.get(row.store_customer_id), row.total_fen, row.paid_at, row.state)
            for row in CustomerOrder.objects.all()
        },
        "participations": {
            row.order_id: (row.solitaire_id, row.customer_id, row.sequence_no, row.items, row.joined_at)
            for row in Participation.objects.all()
        },
        "notifications": {
            row.payload["order_id"]: (
                row.recipient_user_id,
                row.template,
                row.payload,
                row.reference,
                row.status,
                row.attempts,
                row.error,
            )
            for row in Notification.objects.all()
        },
        "messages": sorted(
            (row.touser, row.template_id, row.page, str(row.data)) for row in SandboxMessage.objects.all()
        ),
    }
