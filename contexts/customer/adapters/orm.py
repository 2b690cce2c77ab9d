"""Repositories and mappers of customer. Counters move only by single conditional UPDATEs
(F expressions), so concurrent payments of one customer all count without a lost update."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Min, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from contexts.customer import models
from contexts.customer.domain import ports
from contexts.customer.domain.model import COUNTED, REFUNDED, CustomerOrder, PaidOrder, StoreCustomer
from contexts.shared.adapters.uow import DjangoUnitOfWork

ENSURE_ATTEMPTS = 3


def customer_from_row(row: models.StoreCustomer) -> StoreCustomer:
    return StoreCustomer(
        id=row.id,
        store_id=row.store_id,
        user_id=row.user_id,
        nickname=row.nickname,
        phone=row.phone,
        order_count=row.order_count,
        total_spent_fen=row.total_spent_fen,
        first_order_at=row.first_order_at,
        last_order_at=row.last_order_at,
        remark=row.remark,
        tags=list(row.tags or []),
        updated_at=row.updated_at,
    )


def order_from_row(row: models.CustomerOrder) -> CustomerOrder:
    return CustomerOrder(
        id=row.id,
        order_id=row.order_id,
        store_customer_id=row.store_customer_id,
        total_fen=row.total_fen,
        paid_at=row.paid_at,
        state=row.state,
    )


class DjangoCustomerRepository(ports.CustomerRepository):
    def get(self, customer_id: str) -> StoreCustomer | None:
        row = models.StoreCustomer.objects.filter(pk=str(customer_id)).first()
        return customer_from_row(row) if row else None

    def ensure(self, *, store_id: str, user_id: str, now: datetime) -> str:
        rows = models.StoreCustomer.objects.filter(store_id=store_id, user_id=user_id)
        for _attempt in range(ENSURE_ATTEMPTS):
            found = rows.values_list("pk", flat=True).first()
            if found:
                return found
            fresh = StoreCustomer.first_seen(store_id=store_id, user_id=user_id, now=now)
            try:
                # A savepoint: losing the race on the unique (store, user) keeps the caller's transaction.
                with transaction.atomic():
                    models.StoreCustomer.objects.create(
                        id=fresh.id, store_id=store_id, user_id=user_id, updated_at=now
                    )
                return fresh.id
            except IntegrityError:
                continue  # the winner's row is committed (or we wait on it): read it again
        raise RuntimeError(f"could not create the customer of user {user_id} in store {store_id}")

    def save_annotations(self, customer: StoreCustomer) -> None:
        models.StoreCustomer.objects.filter(pk=customer.id).update(
            remark=customer.remark, tags=list(customer.tags), updated_at=customer.updated_at
        )

    def count_order(self, customer_id: str, *, order: PaidOrder, nickname: str, now: datetime) -> None:
        paid_at = Value(order.paid_at)
        # SET expressions read the row as it was before this UPDATE, in SQLite and PostgreSQL.
        is_latest = Q(last_order_at__isnull=True) | Q(last_order_at__lte=order.paid_at)
        changes = {
            "order_count": F("order_count") + 1,
            "total_spent_fen": F("total_spent_fen") + order.total_fen,
            # Coalesce: Least/Greatest are NULL on SQLite when any argument is.
            "first_order_at": Least(Coalesce(F("first_order_at"), paid_at), paid_at),
            "last_order_at": Greatest(Coalesce(F("last_order_at"), paid_at), paid_at),
            "updated_at": Value(now),
        }
        if order.phone:
            changes["phone"] = Case(When(is_latest, then=Value(order.phone)), default=F("phone"))
        if nickname:
            changes["nickname"] = Case(When(is_latest, then=Value(nickname[:64])), default=F("nickname"))
        updated = models.StoreCustomer.objects.filter(pk=customer_id).update(**changes)
        if updated != 1:
            raise RuntimeError(f"store customer {customer_id} vanished while counting an order")

    def uncount_order(self, customer_id: str, *, order: CustomerOrder, now: datetime) -> None:
        # Locking the row first orders this after any count already writing it; a count that
        # comes later widens first/last with its own time, so the times stay right either way.
        models.StoreCustomer.objects.select_for_update().filter(pk=customer_id).values_list("pk").first()
        times = models.CustomerOrder.objects.filter(store_customer_id=customer_id, state=COUNTED).aggregate(
            first=Min("paid_at"), last=Max("paid_at")
        )
        models.StoreCustomer.objects.filter(pk=customer_id).update(
            order_count=Greatest(F("order_count") - 1, Value(0)),
            total_spent_fen=Greatest(F("total_spent_fen") - order.total_fen, Value(0)),
            first_order_at=times["first"],
            last_order_at=times["last"],
            updated_at=now,
        )


class DjangoCustomerOrderRepository(ports.CustomerOrderRepository):
    def get(self, order_id: str) -> CustomerOrder | None:
        row = models.CustomerOrder.objects.filter(order_id=str(order_id)).first()
        return order_from_row(row) if row else None

    def add(self, order: CustomerOrder) -> bool:
        try:
            with transaction.atomic():
                models.CustomerOrder.objects.create(
                    id=order.id,
                    order_id=order.order_id,
                    store_customer_id=order.store_customer_id,
                    total_fen=order.total_fen,
                    paid_at=order.paid_at,
                    state=order.state,
                )
        except IntegrityError:
            return False
        return True

    def mark_refunded(self, order_id: str) -> CustomerOrder | None:
        rows = models.CustomerOrder.objects.filter(order_id=str(order_id))
        if rows.filter(state=COUNTED).update(state=REFUNDED) != 1:
            return None
        row = rows.get()
        return order_from_row(row)


class DjangoCustomerUow(DjangoUnitOfWork, ports.CustomerUnitOfWork):
    def __init__(self) -> None:
        self.customers = DjangoCustomerRepository()
        self.orders = DjangoCustomerOrderRepository()
