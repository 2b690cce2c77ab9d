"""Paying: the order's one payment, the gateway's notifications (money in, refunds ended) and
the expiry of unpaid orders, which asks the gateway first."""

import json
import logging
from collections.abc import Mapping

from contexts.ordering import contracts
from contexts.ordering.domain.model import CANCELLED, PENDING_PAYMENT, Order, new_pickup_code
from contexts.ordering.domain.payment import (
    NOTIFIED_REFUND,
    PAYMENT_CREATED,
    PAYMENT_REFUNDED,
    Notification,
    Payment,
)
from contexts.ordering.domain.ports import OrderingUnitOfWork, PaymentGateway
from contexts.ordering.mappers import order_view
from contexts.ordering.services.orders import _close_payment, _own_order
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, UpstreamFailed
from contexts.shared.domain.ports import Clock, UserDirectory
from contexts.shared.domain.text import N_

log = logging.getLogger(__name__)

PICKUP_CODE_ATTEMPTS = 20
EXPIRY_BATCH = 500


def pay_order(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    gateway: PaymentGateway,
    users: UserDirectory,
    order_id: str,
    customer_id: str,
) -> contracts.PaymentView:
    """The prepay parameters of the order's one payment; asking again returns the same ones.
    The gateway is asked inside the transaction: if it does not open the payment, no payment
    is stored."""
    with uow:
        order = _own_order(uow, order_id, customer_id)
        order.require_payable(clock.now())
        payment = uow.payments.for_order(order.id)
        if payment is None:
            payment = Payment.open(order=order, gateway=gateway.name, now=clock.now())
            payment.prepay = gateway.create_payment(
                payment_id=payment.id,
                order_no=order.order_no,
                amount_fen=payment.amount_fen,
                description=f"Order {order.order_no}",
                payer_openid=users.openid_of(customer_id) or "",
                expires_at=order.expires_at,
            )
            payment = uow.payments.add(payment)
        uow.commit()
    return contracts.PaymentView(
        payment_id=payment.id, amount_fen=payment.amount_fen, gateway=payment.gateway, prepay=payment.prepay
    )


def handle_payment_notification(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    gateway: PaymentGateway,
    headers: Mapping[str, str],
    raw_body: bytes,
) -> str:
    """Apply the gateway's notification as it arrived; returns the outcome ("paid", "replayed",
    "refunded", "ignored", or for a refund's end "refund_succeeded" …). A forged, malformed or
    mismatched notification raises and changes nothing."""
    notification = gateway.parse_notification(headers=headers, raw_body=raw_body)
    if notification.kind == NOTIFIED_REFUND:
        return _apply_refund_end(uow, notification)
    return _apply_payment(uow, clock, gateway, notification)[0]


def _payment_of(uow: OrderingUnitOfWork, notification: Notification) -> Payment:
    payment = (
        uow.payments.get(notification.payment_id)
        if notification.payment_id
        else uow.payments.by_order_no(notification.order_no)
    )
    if payment is None:
        raise NotFound(N_("No such payment."))
    if notification.order_no != payment.order_no:
        raise InvalidInput(N_("The order number does not match."), fields={"order_no": [N_("Mismatch.")]})
    return payment


def _payment_outcome(order: Order, payment: Payment) -> str:
    if order.status == PENDING_PAYMENT:
        return "paid"
    if order.status == CANCELLED and payment.status != PAYMENT_REFUNDED:
        return "refunded"
    return "ignored"


def _apply_payment(
    uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, notification: Notification
) -> tuple[str, Order | None]:
    """The gateway's word that money arrived (its notification, or its answer to a query): the
    outcome, and the order afterwards (None for a replay). Money for an order already cancelled
    (by its customer or by expiry) is refunded at once: the stock it reserved is gone, so the
    order cannot be revived. The notification is recorded once, with its outcome, after the
    order's lock is taken: a replay (its transaction id recorded already) changes nothing."""
    if notification.status != "SUCCESS":
        raise InvalidInput(
            N_("Only SUCCESS notifications are handled."), fields={"status": [N_("Must be SUCCESS.")]}
        )
    now = clock.now()
    with uow:
        payment = _payment_of(uow, notification)
        if notification.amount_fen != payment.amount_fen:
            raise InvalidInput(N_("The amount does not match."), fields={"amount_fen": [N_("Mismatch.")]})
        order = uow.orders.get(payment.order_id, lock=True)
        outcome = _payment_outcome(order, payment)
        if not uow.notifications.record(notification, payment_id=payment.id, outcome=outcome):
            return "replayed", None
        payment.succeed(transaction_id=notification.transaction_id, now=now)
        if outcome == "paid":
            sequence_no = uow.sequences.next(order.solitaire_id) if order.solitaire_id else None
            order.mark_paid(now=now, sequence_no=sequence_no, pickup_code=_free_pickup_code(uow, order))
            if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
                # Locked above, so only a racing writer on a lock-less database gets here: undo
                # everything (the sequence number too) and let the gateway's retry decide.
                raise Conflict(N_("The order changed while it was being paid."))
        elif outcome == "refunded":
            refund_id = payment.refund(now=now)
            receipt = gateway.refund(
                payment_id=payment.id,
                order_no=payment.order_no,
                refund_id=refund_id,
                amount_fen=payment.amount_fen,
                reason="The order was cancelled before its payment arrived.",
            )
            payment.refund_taken(receipt["status"])
        uow.payments.save(payment)
        uow.commit()
    return outcome, order


def _apply_refund_end(uow: OrderingUnitOfWork, notification: Notification) -> str:
    """The gateway's word on how a refund ended; recorded on the payment once."""
    with uow:
        payment = _payment_of(uow, notification)
        if payment.refund_id is None or notification.refund_id != payment.refund_id:
            raise NotFound(N_("No such refund."))
        if notification.amount_fen != payment.amount_fen:
            raise InvalidInput(N_("The amount does not match."), fields={"amount_fen": [N_("Mismatch.")]})
        payment.refund_ended(notification.status)
        outcome = f"refund_{payment.refund_status}"
        if not uow.notifications.record(notification, payment_id=payment.id, outcome=outcome):
            return "replayed"
        uow.payments.save(payment)
        uow.commit()
    return outcome


def _free_pickup_code(uow: OrderingUnitOfWork, order: Order) -> str:
    for _ in range(PICKUP_CODE_ATTEMPTS):
        code = new_pickup_code()
        if not uow.orders.pickup_code_in_use(order.store_id, code):
            return code
    raise Conflict(N_("No free pickup code; try again."))


def simulate_payment_success(
    *, uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, payment_id: str, customer_id: str
) -> contracts.OrderView:
    """The sandbox gateway's success notification for a payment, through the same handling
    as the real one. Its transaction id is fixed per payment, so a second call is a replay."""
    payment = uow.payments.get_for_customer(payment_id, customer_id)
    if payment is None:
        raise NotFound(N_("No such payment."))
    raw_body = json.dumps(
        {
            "payment_id": payment.id,
            "order_no": payment.order_no,
            "amount_fen": payment.amount_fen,
            "status": "SUCCESS",
            "transaction_id": f"sandbox-{payment.id}",
            "paid_at": clock.now().isoformat(),
        }
    ).encode()
    headers = {"x-signature": gateway.sign(raw_body=raw_body)}
    notification = gateway.parse_notification(headers=headers, raw_body=raw_body)
    _outcome, paid = _apply_payment(uow, clock, gateway, notification)
    return order_view(paid or uow.orders.get(payment.order_id), viewer_id=customer_id)


def expire_unpaid_orders(
    *, uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, limit: int = EXPIRY_BATCH
) -> int:
    """Cancel every pending order past its payment time; the number expired. An order with a
    payment is first asked about at the gateway: a payment that succeeded (its notification
    lost or late) is taken, and the order is paid, not cancelled. A gateway that does not
    answer leaves the order for the next run. Each order is its own transaction, and its
    conditional update decides a race with a payment or with a second robot: the loser
    changes nothing and publishes nothing."""
    now = clock.now()
    expired = 0
    for order_id in uow.orders.past_due_ids(now, limit):
        payment = uow.payments.for_order(order_id)
        if payment is not None and payment.status == PAYMENT_CREATED:
            try:
                succeeded = gateway.paid(order_no=payment.order_no)
                if succeeded is not None:
                    _apply_payment(uow, clock, gateway, succeeded)
                    continue
            except (UpstreamFailed, InvalidInput, Conflict) as exc:
                log.warning("order %s not expired this run: %s", order_id, exc)
                continue
        with uow:
            order = uow.orders.get(order_id, lock=True)
            if order is None or not order.is_past_due(now):
                continue
            order.expire(now=now)
            if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
                continue
            uow.commit()
            expired += 1
        _close_payment(uow, gateway, order_id)
    return expired
