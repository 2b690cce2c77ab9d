"""Buying: placing, paying, cancelling and expiring orders."""

import json
from dataclasses import asdict

from contexts.ordering import contracts
from contexts.ordering.domain.model import (
    CANCELLED,
    PENDING_PAYMENT,
    ContactInfo,
    Order,
    OrderLine,
    PickupChoice,
    ResaleTerms,
    Snapshot,
    new_pickup_code,
)
from contexts.ordering.domain.payment import Notification, Payment
from contexts.ordering.domain.ports import GoodsCatalog, OrderingUnitOfWork, OrderNoTaken, PaymentGateway
from contexts.ordering.mappers import order_view
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock, StoreDirectory
from contexts.shared.domain.text import N_

ORDER_NO_ATTEMPTS = 5
PICKUP_CODE_ATTEMPTS = 20
EXPIRY_BATCH = 500


def _pickup(pickup: contracts.Pickup) -> PickupChoice:
    return PickupChoice.of(
        method=pickup.method, pickup_point_id=pickup.pickup_point_id, address=pickup.address
    )


def _contact(contact: contracts.Contact) -> ContactInfo:
    return ContactInfo.of(name=contact.name, phone=contact.phone)


def _add_order(uow: OrderingUnitOfWork, order: Order, clock: Clock) -> None:
    for attempt in range(ORDER_NO_ATTEMPTS):
        try:
            uow.orders.add(order)
            return
        except OrderNoTaken:
            if attempt == ORDER_NO_ATTEMPTS - 1:
                raise
            order.renumber(clock.now())


def place_order(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    payment_timeout_seconds: int,
    customer_id: str,
    store_id: str,
    solitaire_id: str | None,
    resale: contracts.Resale | None = None,
    lines: list[contracts.LineRequest],
    pickup: contracts.Pickup,
    contact: contracts.Contact,
    remark: str = "",
    idempotency_key: str | None = None,
) -> contracts.OrderView:
    """Create a pending order from lines its caller priced. It runs inside the caller's
    transaction and reserves nothing: a solitaire reserved its own stock. A key the customer
    already used raises IdempotencyKeyTaken (the caller answers with that order)."""
    order = Order.place(
        customer_id=customer_id,
        store_id=store_id,
        solitaire_id=solitaire_id,
        resale=ResaleTerms(**asdict(resale)) if resale else None,
        lines=[
            OrderLine(
                snapshot=Snapshot(
                    goods_id=line.goods_id,
                    solitaire_item_id=line.solitaire_item_id,
                    name=line.name,
                    image_url=line.image_url,
                    price_fen=line.price_fen,
                ),
                quantity=line.quantity,
            )
            for line in lines
        ],
        pickup=_pickup(pickup),
        contact=_contact(contact),
        remark=remark,
        idempotency_key=idempotency_key,
        now=clock.now(),
        payment_timeout_seconds=payment_timeout_seconds,
    )
    with uow:
        _add_order(uow, order, clock)
        uow.commit()
    return order_view(order, viewer_id=customer_id)


def place_goods_order(
    *,
    uow: OrderingUnitOfWork,
    clock: Clock,
    goods: GoodsCatalog,
    stores: StoreDirectory,
    payment_timeout_seconds: int,
    customer_id: str,
    store_id: str,
    lines: list[contracts.GoodsLineRequest],
    pickup: contracts.Pickup,
    contact: contracts.Contact,
    remark: str = "",
    idempotency_key: str | None = None,
) -> contracts.OrderView:
    """An order outside a solitaire: snapshots of the goods now, their stock reserved and the
    order created in one transaction (any failure undoes every reservation). The same
    Idempotency-Key answers with the customer's first order and reserves nothing more."""
    if idempotency_key:
        earlier = order_by_idempotency_key(uow=uow, customer_id=customer_id, key=idempotency_key)
        if earlier is not None:
            return earlier
    pickup_choice, contact_info = _pickup(pickup), _contact(contact)
    if not stores.is_active(store_id):
        stores.require(store_id)  # an unknown store is 404; a known one that is not active, frozen
        raise Conflict(N_("The store is frozen."))
    point_id = pickup_choice.pickup_point_id
    if point_id and point_id not in stores.pickup_point_ids(store_id):
        raise InvalidInput(
            N_("No such pickup point in this store."), fields={"pickup": [N_("Unknown pickup point.")]}
        )
    try:
        with uow:
            order_lines = []
            for line in _merged(lines):
                found = goods.snapshot(line.goods_id)
                if found.store_id != store_id:
                    raise InvalidInput(
                        N_("These goods are not this store's."), fields={"lines": [N_("Unknown goods.")]}
                    )
                if not found.on_sale:
                    raise Conflict(
                        N_("{name} is not on sale.", name=found.snapshot.name), code="out_of_stock"
                    )
                goods.reserve(line.goods_id, line.quantity)
                order_lines.append(OrderLine(snapshot=found.snapshot, quantity=line.quantity))
            order = Order.place(
                customer_id=customer_id,
                store_id=store_id,
                solitaire_id=None,
                resale=None,
                lines=order_lines,
                pickup=pickup_choice,
                contact=contact_info,
                remark=remark,
                idempotency_key=idempotency_key,
                now=clock.now(),
                payment_timeout_seconds=payment_timeout_seconds,
            )
            _add_order(uow, order, clock)
            uow.commit()
    except contracts.IdempotencyKeyTaken:
        # A concurrent twin committed first; our reservations rolled back with our transaction.
        return order_by_idempotency_key(uow=uow, customer_id=customer_id, key=idempotency_key)
    return order_view(order, viewer_id=customer_id)


def _merged(lines: list[contracts.GoodsLineRequest]) -> list[contracts.GoodsLineRequest]:
    """Lines of the same goods become one, in the order first named (as a join merges a
    solitaire's items)."""
    quantities: dict[str, int] = {}
    for line in lines:
        quantities[line.goods_id] = quantities.get(line.goods_id, 0) + line.quantity
    return [contracts.GoodsLineRequest(goods_id=goods_id, quantity=q) for goods_id, q in quantities.items()]


def order_by_idempotency_key(
    *, uow: OrderingUnitOfWork, customer_id: str, key: str
) -> contracts.OrderView | None:
    """The order the customer placed under that Idempotency-Key (Stripe's semantics: the first
    answer is the answer to every repeat), or None."""
    order = uow.orders.by_idempotency_key(customer_id, key)
    return order_view(order, viewer_id=customer_id) if order else None


def _own_order(uow: OrderingUnitOfWork, order_id: str, customer_id: str, *, lock: bool = False) -> Order:
    order = uow.orders.get(order_id, lock=lock)
    if order is None or order.customer_id != customer_id:
        raise NotFound(N_("No such order."))  # someone else's order does not exist for this caller
    return order


def pay_order(
    *, uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, order_id: str, customer_id: str
) -> contracts.PaymentView:
    """The prepay parameters of the order's one payment; asking again returns the same ones."""
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
            )
            payment = uow.payments.add(payment)
        uow.commit()
    return contracts.PaymentView(
        payment_id=payment.id, amount_fen=payment.amount_fen, gateway=payment.gateway, prepay=payment.prepay
    )


def handle_payment_notification(
    *, uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, raw_body: bytes, signature: str
) -> str:
    """Apply the gateway's word that money arrived; returns the outcome ("paid", "replayed",
    "refunded", "ignored"). A forged, malformed or mismatched notification raises and changes
    nothing. Money for an order already cancelled (by its customer or by expiry) is refunded
    at once: the stock it reserved is gone, so the order cannot be revived."""
    notification = Notification.parse(gateway.verify(raw_body=raw_body, signature=signature))
    if notification.status != "SUCCESS":
        raise InvalidInput(
            N_("Only SUCCESS notifications are handled."), fields={"status": [N_("Must be SUCCESS.")]}
        )
    now = clock.now()
    with uow:
        payment = uow.payments.get(notification.payment_id)
        if payment is None:
            raise NotFound(N_("No such payment."))
        if notification.order_no != payment.order_no:
            raise InvalidInput(N_("The order number does not match."), fields={"order_no": [N_("Mismatch.")]})
        if notification.amount_fen != payment.amount_fen:
            raise InvalidInput(N_("The amount does not match."), fields={"amount_fen": [N_("Mismatch.")]})
        if not uow.notifications.record(notification, raw_body=raw_body, outcome="received"):
            return "replayed"
        order = uow.orders.get(payment.order_id, lock=True)
        payment.succeed(transaction_id=notification.transaction_id, now=now)
        if order.status == PENDING_PAYMENT:
            outcome = "paid"
            sequence_no = uow.sequences.next(order.solitaire_id) if order.solitaire_id else None
            order.mark_paid(now=now, sequence_no=sequence_no, pickup_code=_free_pickup_code(uow, order))
            if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
                # Locked above, so only a racing writer on a lock-less database gets here: undo
                # everything (the sequence number too) and let the gateway's retry decide.
                raise Conflict(N_("The order changed while it was being paid."))
        elif order.status == CANCELLED:
            outcome = "refunded"
            refund_id = payment.refund(now=now)
            gateway.refund(payment_id=payment.id, refund_id=refund_id, amount_fen=payment.amount_fen)
        else:
            outcome = "ignored"
        uow.payments.save(payment)
        uow.notifications.set_outcome(notification.transaction_id, outcome)
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
    payment = uow.payments.get(payment_id)
    order = uow.orders.get(payment.order_id) if payment else None
    if order is None or order.customer_id != customer_id:
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
    handle_payment_notification(
        uow=uow, clock=clock, gateway=gateway, raw_body=raw_body, signature=gateway.sign(raw_body=raw_body)
    )
    return order_view(uow.orders.get(order.id), viewer_id=customer_id)


def cancel_order(
    *, uow: OrderingUnitOfWork, clock: Clock, order_id: str, customer_id: str
) -> contracts.OrderView:
    with uow:
        order = _own_order(uow, order_id, customer_id, lock=True)
        order.cancel(now=clock.now())
        if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
            raise Conflict(N_("The order is no longer pending payment."))
        uow.commit()
    return order_view(order, viewer_id=customer_id)


def expire_unpaid_orders(*, uow: OrderingUnitOfWork, clock: Clock, limit: int = EXPIRY_BATCH) -> int:
    """Cancel every pending order past its payment time; the number expired. Each order is
    its own transaction, and its conditional update decides a race with a payment or with a
    second robot: the loser changes nothing and publishes nothing."""
    now = clock.now()
    expired = 0
    for order_id in uow.orders.past_due_ids(now, limit):
        with uow:
            order = uow.orders.get(order_id, lock=True)
            if order is None or not order.is_past_due(now):
                continue
            order.expire(now=now)
            if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
                continue
            uow.commit()
            expired += 1
    return expired
