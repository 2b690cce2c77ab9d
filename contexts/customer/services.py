"""customer use cases: one keyword-only function each, framework-free (ports come in as
arguments: bootstrap.py binds them by name, tests hand in fakes)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from contexts.customer import contracts
from contexts.customer.domain.model import UNSET, CustomerOrder, OrderCount, PaidOrder, StoreCustomer
from contexts.customer.domain.ports import CustomerUnitOfWork
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.ports import Clock, StoreAccess, StoreDirectory, UserDirectory
from contexts.shared.domain.text import N_

EDIT = "customers.edit"


def _customer_view(customer: StoreCustomer) -> contracts.CustomerView:
    return contracts.CustomerView(
        id=customer.id,
        store_id=customer.store_id,
        user_id=customer.user_id,
        nickname=customer.nickname,
        phone=customer.phone,
        order_count=customer.order_count,
        total_spent_fen=customer.total_spent_fen,
        first_order_at=customer.first_order_at,
        last_order_at=customer.last_order_at,
        remark=customer.remark,
        tags=tuple(customer.tags),
    )


def count_paid_order(
    *,
    uow: CustomerUnitOfWork,
    users: UserDirectory,
    clock: Clock,
    order_id: str,
    store_id: str,
    user_id: str,
    total_fen: int,
    paid_at: datetime,
    contact_phone: str = "",
) -> bool:
    """OrderPaid: the order counts for its buyer in its store, once per order whatever event
    or delivery brings it again. True when it was counted now."""
    order = PaidOrder(
        order_id=order_id,
        store_id=store_id,
        user_id=user_id,
        total_fen=total_fen,
        paid_at=paid_at,
        phone=contact_phone or "",
    )
    nickname = users.nicknames([user_id]).get(user_id, "")
    with uow:
        if uow.orders.get(order.order_id) is not None:
            uow.commit()
            return False
        now = clock.now()
        customer_id = uow.customers.ensure(store_id=order.store_id, user_id=order.user_id, now=now)
        # The unique order id is the real guard: a concurrent delivery of the same order loses here.
        if not uow.orders.add(CustomerOrder.counted(order, customer_id)):
            uow.commit()
            return False
        uow.customers.count_orders([(customer_id, OrderCount.of([order]), nickname)], now=now)
        uow.commit()
    return True


def count_paid_orders(
    *, uow: CustomerUnitOfWork, users: UserDirectory, clock: Clock, orders: Sequence[Mapping[str, Any]]
) -> int:
    """OrderPaid, many at once: what count_paid_order does for each in turn (`orders` are its
    keyword arguments), in a few statements for all: one read of the orders seen, the
    customers ensured together, one insert of the orders, one write per customer. How many
    were counted now."""
    paid = [
        PaidOrder(
            order_id=order["order_id"],
            store_id=order["store_id"],
            user_id=order["user_id"],
            total_fen=order["total_fen"],
            paid_at=order["paid_at"],
            phone=order.get("contact_phone") or "",
        )
        for order in orders
    ]
    nicknames = users.nicknames(sorted({order.user_id for order in paid}))
    with uow:
        known = uow.orders.known([order.order_id for order in paid])
        fresh: dict[str, PaidOrder] = {}
        for order in paid:
            if order.order_id not in known:
                fresh.setdefault(order.order_id, order)
        if fresh:
            now = clock.now()
            keys = sorted({(order.store_id, order.user_id) for order in fresh.values()})
            customer_ids = uow.customers.ensure_all(keys, now=now)
            per_customer: dict[str, list[PaidOrder]] = {}
            for order in fresh.values():
                per_customer.setdefault(customer_ids[(order.store_id, order.user_id)], []).append(order)
            uow.orders.add_all(
                [
                    CustomerOrder.counted(order, customer_id)
                    for customer_id, mine in per_customer.items()
                    for order in mine
                ]
            )
            uow.customers.count_orders(
                [
                    (customer_id, OrderCount.of(mine), nicknames.get(mine[0].user_id, ""))
                    for customer_id, mine in sorted(per_customer.items())
                ],
                now=now,
            )
        uow.commit()
    return len(fresh)


def uncount_refunded_order(
    *, uow: CustomerUnitOfWork, clock: Clock, order_id: str, total_fen: int = 0
) -> bool:
    """OrderRefunded: a counted order stops counting (once). The refund of an order never
    counted changes no customer; it is remembered so that its payment, should it arrive
    late, counts nothing. True when a customer's counters changed."""
    with uow:
        if uow.orders.get(order_id) is None:
            safe_total = total_fen if isinstance(total_fen, int) and not isinstance(total_fen, bool) else 0
            if uow.orders.add(CustomerOrder.refunded_unseen(order_id=order_id, total_fen=max(safe_total, 0))):
                uow.commit()
                return False
            # else its payment was recorded meanwhile: refund that one below
        refunded = uow.orders.mark_refunded(order_id)
        if refunded is None or refunded.store_customer_id is None:
            uow.commit()
            return False
        uow.customers.uncount_order(refunded.store_customer_id, order=refunded, now=clock.now())
        uow.commit()
    return True


def edit_customer(
    *,
    uow: CustomerUnitOfWork,
    stores: StoreDirectory,
    access: StoreAccess,
    clock: Clock,
    actor_id: str,
    store_id: str,
    customer_id: str,
    remark: Any = UNSET,
    tags: Any = UNSET,
) -> contracts.CustomerView:
    """Staff's remark and tags on one of their store's customers (owner, manager)."""
    stores.require(store_id)
    access.authorize(user_id=actor_id, store_id=store_id, operation=EDIT)
    with uow:
        customer = uow.customers.get(customer_id)
        if customer is None or customer.store_id != store_id:
            raise NotFound(N_("No such customer in this store."))
        customer.annotate(now=clock.now(), remark=remark, tags=tags)
        uow.customers.save_annotations(customer)
        uow.commit()
    return _customer_view(customer)
