"""Rows for the back office tests, written straight to the database (the admin and its dashboard
only read them): users, stores, solitaires, orders, refunds, merchant money, event deliveries
and notifications; and a client logged in as a platform operator.

    shop = store_row("鲜果店", created_at=T0)
    order_row(store=shop, customer=user_row("陈阿姨"), total_fen=3590, paid_at=T0)
"""

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Group

from bff.backoffice.operators import GROUP
from contexts.identity.models import User
from contexts.merchant_account.models import LedgerEntry, Merchant, MerchantAccount, OrderRevenue
from contexts.notification.models import Notification
from contexts.ordering.models import Order, Payment, Refund
from contexts.shared.models import EventDelivery, OutboxEvent
from contexts.solitaire.models import Solitaire
from contexts.store.models import Store

_numbers = itertools.count(1)


def new_id() -> str:
    return str(uuid.uuid4())


def user_row(nickname: str) -> User:
    return User.objects.create(username=f"user-{next(_numbers)}", nickname=nickname)


def operator_user(username: str = "ops") -> User:
    """A platform operator: staff, in the operators' group, not a superuser."""
    user = User.objects.create_user(username, password="ops-password", is_staff=True)
    user.groups.add(Group.objects.get(name=GROUP))
    return user


def store_row(name: str, *, created_at: datetime, status: str = "active", owner: User | None = None) -> Store:
    return Store.objects.create(
        id=new_id(),
        owner_id=str(owner.pk) if owner else new_id(),
        name=name,
        phone="13800000000",
        status=status,
        province="浙江省",
        city="杭州市",
        district="西湖区",
        detail="文三路 1 号",
        created_at=created_at,
    )


def solitaire_row(store: Store, title: str, *, at: datetime) -> Solitaire:
    return Solitaire.objects.create(
        id=new_id(),
        store_id=store.pk,
        title=title,
        status="published",
        start_at=at,
        end_at=at + timedelta(days=3),
        created_at=at,
    )


def order_row(
    *,
    store: Store,
    customer: User,
    total_fen: int,
    paid_at: datetime | None,
    created_at: datetime | None = None,
    solitaire: Solitaire | None = None,
    status: str | None = None,
) -> Order:
    created_at = created_at or paid_at
    number = next(_numbers)
    return Order.objects.create(
        id=new_id(),
        order_no=f"{created_at:%Y%m%d%H%M%S}{number:06d}",
        customer_id=str(customer.pk),
        store_id=store.pk,
        solitaire_id=solitaire.pk if solitaire else None,
        status=status or ("paid" if paid_at else "pending_payment"),
        total_fen=total_fen,
        pickup_method="pickup",
        contact_name=customer.nickname,
        contact_phone="13900000000",
        created_at=created_at,
        expires_at=created_at + timedelta(minutes=15),
        paid_at=paid_at,
    )


def refund_row(order: Order, *, at: datetime) -> Refund:
    payment = Payment.objects.create(
        id=new_id(),
        order=order,
        order_no=order.order_no,
        amount_fen=order.total_fen,
        gateway="sandbox",
        status="refunded",
        created_at=order.paid_at,
        paid_at=order.paid_at,
        refunded_at=at,
    )
    Order.objects.filter(pk=order.pk).update(status="refunded", refunded_at=at)
    return Refund.objects.create(
        id=new_id(),
        order=order,
        payment=payment,
        amount_fen=order.total_fen,
        reason="不要了",
        requested_by=order.customer_id,
        requested_by_role="customer",
        created_at=at,
    )


def merchant_row(*, pending_fen: int) -> Merchant:
    merchant = Merchant.objects.create(
        id=new_id(), user_id=new_id(), created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    MerchantAccount.objects.create(id=new_id(), merchant=merchant, pending_fen=pending_fen)
    return merchant


def fee_entry(merchant: Merchant, *, fee_fen: int, at: datetime) -> LedgerEntry:
    """The platform fee withheld from one settled order (the entry debits the merchant)."""
    order_id = new_id()
    revenue = OrderRevenue.objects.create(
        order_id=order_id,
        order_no=f"F{next(_numbers):019d}",
        store_id=new_id(),
        merchant=merchant,
        total_fen=fee_fen * 100,
        completed_at=at,
        credited_at=at,
    )
    return LedgerEntry.objects.create(
        merchant=merchant,
        kind="platform_fee",
        balance="available",
        amount_fen=-fee_fen,
        order=revenue,
        order_no=revenue.order_no,
        store_id=revenue.store_id,
        created_at=at,
    )


def delivery_row(*, status: str, at: datetime, handler: str = "contexts.notification.tasks.on_order_paid"):
    event = OutboxEvent.objects.create(
        event_id=uuid.uuid4(),
        event_type="OrderPaid",
        aggregate_type="Order",
        aggregate_id=new_id(),
        payload={},
        occurred_at=at,
        dispatched_at=at,
    )
    return EventDelivery.objects.create(event=event, handler=handler, status=status, attempts=5)


def notification_row(*, status: str, at: datetime, reference: str = "20260101000000000001") -> Notification:
    return Notification.objects.create(
        id=new_id(),
        recipient_user_id=new_id(),
        template="order_paid",
        payload={},
        source_event_id=new_id(),
        reference=reference,
        status=status,
        attempts=3 if status == "failed" else 1,
        created_at=at,
    )
