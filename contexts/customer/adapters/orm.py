"""Repositories and mappers of customer. Counters move only by single conditional UPDATEs
(F expressions), so concurrent payments of one customer all count without a lost update."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min, Value
from django.db.models.functions import Greatest

from contexts.customer import models
from contexts.customer.domain import ports
from contexts.customer.domain.model import COUNTED, REFUNDED, CustomerOrder, OrderCount, StoreCustomer
from contexts.shared.adapters import sql
from contexts.shared.adapters.uow import DjangoUnitOfWork

ENSURE_ATTEMPTS = 3

# SET expressions read the row as it was before this UPDATE, in SQLite and PostgreSQL; CASE
# rather than LEAST/GREATEST, which are NULL on SQLite when any argument is.
COUNT_ORDERS = """
UPDATE customer_storecustomer SET
  order_count = order_count + %s,
  total_spent_fen = total_spent_fen + %s,
  first_order_at = CASE WHEN first_order_at IS NULL OR first_order_at > %s THEN %s ELSE first_order_at END,
  last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < %s THEN %s ELSE last_order_at END,
  phone = CASE WHEN %s <> '' AND (last_order_at IS NULL OR last_order_at <= %s) THEN %s ELSE phone END,
  nickname = CASE WHEN %s <> '' AND (last_order_at IS NULL OR last_order_at <= %s) THEN %s ELSE nickname END,
  updated_at = %s
WHERE id = %s"""


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

    def ensure_all(self, keys: list[tuple[str, str]], *, now: datetime) -> dict[tuple[str, str], str]:
        found = self._ids(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            # A concurrent creator of the same customer wins; its row is read back below.
            models.StoreCustomer.objects.bulk_create(
                [
                    models.StoreCustomer(
                        id=fresh.id, store_id=fresh.store_id, user_id=fresh.user_id, updated_at=now
                    )
                    for fresh in (
                        StoreCustomer.first_seen(store_id=store_id, user_id=user_id, now=now)
                        for store_id, user_id in missing
                    )
                ],
                ignore_conflicts=True,
            )
            found |= self._ids(missing)
        if len(found) != len(set(keys)):
            raise RuntimeError("could not create every store customer of the orders")
        return found

    @staticmethod
    def _ids(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        wanted = set(keys)
        rows = models.StoreCustomer.objects.filter(
            store_id__in={store_id for store_id, _user in wanted},
            user_id__in={user for _store, user in wanted},
        ).values_list("store_id", "user_id", "pk")
        return {(store_id, user_id): pk for store_id, user_id, pk in rows if (store_id, user_id) in wanted}

    def count_orders(self, counts: list[tuple[str, OrderCount, str]], *, now: datetime) -> None:
        params = []
        for customer_id, count, nickname in counts:
            first, last = (
                sql.value(models.StoreCustomer, "first_order_at", at)
                for at in (count.first_paid_at, count.last_paid_at)
            )
            phone_at = (
                sql.value(models.StoreCustomer, "last_order_at", count.phone_paid_at) if count.phone else last
            )
            nickname = nickname[:64]
            params.append(
                [count.count, count.total_fen, first, first, last, last]
                + [count.phone, phone_at, count.phone, nickname, last, nickname]
                + [sql.value(models.StoreCustomer, "updated_at", now), customer_id]
            )
        if sql.execute_many(COUNT_ORDERS, params) != len(counts):
            raise RuntimeError("a store customer vanished while counting its orders")

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

    def known(self, order_ids: list[str]) -> set[str]:
        return set(
            models.CustomerOrder.objects.filter(order_id__in=order_ids).values_list("order_id", flat=True)
        )

    def add_all(self, orders: list[CustomerOrder]) -> None:
        sql.insert(
            models.CustomerOrder,
            [
                {
                    "id": order.id,
                    "order_id": order.order_id,
                    "store_customer_id": order.store_customer_id,
                    "total_fen": order.total_fen,
                    "paid_at": order.paid_at,
                    "state": order.state,
                }
                for order in orders
            ],
        )

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
