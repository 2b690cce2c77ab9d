"""Buying: placing and cancelling orders."""

from dataclasses import asdict

from contexts.ordering import contracts
from contexts.ordering.domain.model import (
    PENDING_PAYMENT,
    ContactInfo,
    Order,
    OrderLine,
    PickupChoice,
    ResaleTerms,
    Snapshot,
)
from contexts.ordering.domain.payment import PAYMENT_CREATED
from contexts.ordering.domain.ports import GoodsCatalog, OrderingUnitOfWork, OrderNoTaken, PaymentGateway
from contexts.ordering.mappers import order_view
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock, StoreDirectory
from contexts.shared.domain.text import N_

ORDER_NO_ATTEMPTS = 5


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


def cancel_order(
    *, uow: OrderingUnitOfWork, clock: Clock, gateway: PaymentGateway, order_id: str, customer_id: str
) -> contracts.OrderView:
    with uow:
        order = _own_order(uow, order_id, customer_id, lock=True)
        order.cancel(now=clock.now())
        if not uow.orders.save_transition(order, expected=PENDING_PAYMENT):
            raise Conflict(N_("The order is no longer pending payment."))
        uow.commit()
    _close_payment(uow, gateway, order.id)
    return order_view(order, viewer_id=customer_id)


def _close_payment(uow: OrderingUnitOfWork, gateway: PaymentGateway, order_id: str) -> None:
    """After a cancellation: the gateway stops taking money for the order (best effort; a
    payment that still arrives is refunded)."""
    payment = uow.payments.for_order(order_id)
    if payment is not None and payment.status == PAYMENT_CREATED:
        gateway.close(order_no=payment.order_no)
