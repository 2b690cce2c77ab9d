"""Fulfilment and after-sale: pickup verification, completion (by the customer, by staff or by
the robot), refunds and reminders. Every state change is a conditional update (paid -> …), so
two requests, two robots or a robot and a person never both change the same order."""

from datetime import timedelta

from contexts.ordering import contracts
from contexts.ordering.domain.model import (
    BY_CUSTOMER,
    BY_STAFF,
    BY_SYSTEM,
    PAID,
    REMIND_INTERVAL,
    Order,
    check_refund_reason,
)
from contexts.ordering.domain.payment import Refund, refund_id_for
from contexts.ordering.domain.ports import OrderingUnitOfWork, PaymentGateway
from contexts.ordering.mappers import order_view
from contexts.shared.domain.errors import Conflict, NotFound, PermissionDenied, Throttled
from contexts.shared.domain.ports import Clock, StoreAccess
from contexts.shared.domain.text import N_

VERIFY_PICKUP = "orders.verify_pickup"
REFUND = "orders.refund"
REMIND = "orders.remind"
COMPLETION_BATCH = 500


def _changed() -> Conflict:
    return Conflict(N_("The order changed meanwhile; it is no longer paid."))


def _complete(uow: OrderingUnitOfWork, order: Order, *, now, by: str) -> None:
    order.complete(now=now, by=by)
    if not uow.orders.save_transition(order, expected=PAID):
        raise _changed()


def _require_staff(access: StoreAccess, order: Order | None, user_id: str, operation: str) -> str:
    """The staff member's role. Its customer (who sees the order) is refused with 403; anyone
    else is told the order does not exist."""
    if order is None:
        raise NotFound(N_("No such order."))
    if access.role_of(user_id=user_id, store_id=order.store_id) is None:
        if user_id == order.customer_id:
            raise PermissionDenied(N_("Only the store's staff may do this."))
        raise NotFound(N_("No such order."))
    return access.authorize(user_id=user_id, store_id=order.store_id, operation=operation)


def verify_pickup(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    access: StoreAccess,
    store_id: str,
    user_id: str,
    pickup_code: str,
) -> contracts.OrderView:
    """核销: the paid order of this store with that code is completed. A code no order of this
    store ever had is 404; one of an order not paid any more (already picked up, refunded) 409."""
    access.authorize(user_id=user_id, store_id=store_id, operation=VERIFY_PICKUP)
    with uow:
        order = uow.orders.by_pickup_code(store_id, pickup_code, lock=True)
        if order is None:
            raise NotFound(N_("No order of this store has this pickup code."))
        _complete(uow, order, now=clock.now(), by=BY_STAFF)
        uow.commit()
    return order_view(order, viewer_id=None)  # staff never see pickup codes


def confirm_receipt(
    *, uow: OrderingUnitOfWork, clock: Clock, order_id: str, customer_id: str
) -> contracts.OrderView:
    with uow:
        order = uow.orders.get(order_id, lock=True)
        if order is None or order.customer_id != customer_id:
            raise NotFound(N_("No such order."))
        _complete(uow, order, now=clock.now(), by=BY_CUSTOMER)
        uow.commit()
    return order_view(order, viewer_id=customer_id)


def complete_overdue_orders(
    *, uow: OrderingUnitOfWork, clock: Clock, auto_complete_days: int, limit: int = COMPLETION_BATCH
) -> int:
    """Complete every order paid `auto_complete_days` ago or earlier; the number completed.
    Each order is its own transaction, and its conditional update decides a race with a
    refund, a pickup or a second robot: the loser changes nothing and publishes nothing."""
    now = clock.now()
    cutoff = now - timedelta(days=auto_complete_days)
    completed = 0
    for order_id in uow.orders.paid_before_ids(cutoff, limit):
        with uow:
            order = uow.orders.get(order_id, lock=True)
            if order is None or not order.is_due_for_completion(cutoff):
                continue
            order.complete(now=now, by=BY_SYSTEM)
            if not uow.orders.save_transition(order, expected=PAID):
                continue
            uow.commit()
            completed += 1
    return completed


def refund_order(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    gateway: PaymentGateway,
    access: StoreAccess,
    order_id: str,
    user_id: str,
    reason: str,
) -> contracts.OrderView:
    """Its customer, or the store's owner or manager, refunds a paid order in full. The order
    is claimed (paid -> refunded, and the one Refund row per order) before the gateway is
    asked, so a concurrent twin fails on the claim and never reaches the gateway; a gateway
    that does not take the refund rolls everything back, and the order stays paid. A refund
    the gateway is still processing ends with its refund notification."""
    reason = check_refund_reason(reason)
    with uow:
        order = uow.orders.get(order_id, lock=True)
        by = _refunder(access, order, user_id)
        now = clock.now()
        order.refund(now=now, refund_id=refund_id_for(order.id), reason=reason, by=by)  # 409 unless paid
        payment = uow.payments.for_order(order.id)
        refund = Refund.of(
            order=order, payment=payment, reason=reason, requested_by=user_id, role=by, now=now
        )
        if not uow.orders.save_transition(order, expected=PAID):
            raise _changed()
        uow.refunds.add(refund)
        payment.refund(now=now, refund_id=refund.id)
        result = gateway.refund(
            payment_id=payment.id,
            order_no=payment.order_no,
            refund_id=refund.id,
            amount_fen=refund.amount_fen,
            reason=reason,
        )
        payment.refund_taken(result["status"])
        uow.payments.save(payment)
        uow.refunds.set_gateway_result(refund.id, result)
        uow.commit()
    return order_view(order, viewer_id=user_id)


def _refunder(access: StoreAccess, order: Order | None, user_id: str) -> str:
    """Its customer, or the store's owner or manager: a clerk is refused (403), anyone else
    is told the order does not exist (404)."""
    if order is None:
        raise NotFound(N_("No such order."))
    if order.customer_id == user_id:
        return BY_CUSTOMER
    if access.role_of(user_id=user_id, store_id=order.store_id) is None:
        raise NotFound(N_("No such order."))
    access.authorize(user_id=user_id, store_id=order.store_id, operation=REFUND)
    return BY_STAFF


def remind_customer(
    *, uow: OrderingUnitOfWork, clock: Clock, access: StoreAccess, order_id: str, user_id: str
) -> None:
    """Staff ask for a reminder to the customer of a paid order (e.g. "your goods are here").
    At most one per order per 10 minutes, across every process: the new reminder time is a
    compare-and-set on the one read."""
    with uow:
        order = uow.orders.get(order_id)
        _require_staff(access, order, user_id, REMIND)
        previous = order.last_reminded_at
        order.request_reminder(now=clock.now(), by=user_id)
        if not uow.orders.save_reminder(order, previous=previous):
            raise Throttled(
                N_("This order's customer was just reminded."),
                retry_after=int(REMIND_INTERVAL.total_seconds()),
            )
        uow.commit()
