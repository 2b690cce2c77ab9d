"""Solitaire use cases: one keyword-only function each. Framework-free: the ports come in as
arguments (bootstrap.py binds the Django and other-context adapters by name, tests pass fakes)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from contexts.ordering.contracts import (
    CartLineView,
    Contact,
    IdempotencyKeyTaken,
    LineRequest,
    OrderView,
    Pickup,
)
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock, StoreAccess, StoreDirectory
from contexts.shared.domain.seedwork import new_id
from contexts.shared.domain.text import N_
from contexts.solitaire.domain.model import (
    CLOSED,
    KEEP,
    PUBLISHED,
    Participation,
    Snapshot,
    Solitaire,
    not_open,
)
from contexts.solitaire.domain.ports import Franchises, GoodsCatalog, Ordering, SolitaireUnitOfWork

MANAGE = "solitaire.manage"


def _snapshots(goods: GoodsCatalog, specs: Sequence[Any], known_goods: set[str]) -> dict[str, Snapshot]:
    """Snapshots of the goods entering the solitaire now, in one call; unknown (or off-shelf)
    goods are a 400 here, goods of another store are refused by the aggregate."""
    wanted = [spec.goods_id for spec in specs if not spec.id and spec.goods_id not in known_goods]
    if any(not goods_id for goods_id in wanted):
        raise InvalidInput(
            N_("Each new item needs its goods_id."), fields={"items": [N_("goods_id is required.")]}
        )
    snapshots = goods.snapshots(list(dict.fromkeys(wanted))) if wanted else {}
    missing = [goods_id for goods_id in wanted if goods_id not in snapshots]
    if missing:
        message = N_("No such goods on sale: {ids}.", ids=", ".join(missing))
        raise InvalidInput(message, fields={"items": [message]})
    return snapshots


def create_solitaire(
    *,
    uow: SolitaireUnitOfWork,
    stores: StoreDirectory,
    access: StoreAccess,
    goods: GoodsCatalog,
    clock: Clock,
    actor_id: str,
    store_id: str,
    title: str,
    description: str = "",
    start_at: datetime,
    end_at: datetime,
    pickup_point_ids: Sequence[str],
    items: Sequence[Any],
) -> str:
    """A draft solitaire of the store; its items are snapshots of the goods taken now."""
    stores.require(store_id)
    access.authorize(user_id=actor_id, store_id=store_id, operation=MANAGE)
    solitaire = Solitaire.draft(
        solitaire_id=new_id(),
        store_id=store_id,
        title=title,
        description=description,
        start_at=start_at,
        end_at=end_at,
        pickup_point_ids=pickup_point_ids,
        store_pickup_point_ids=stores.pickup_point_ids(store_id),
        items=items,
        snapshots=_snapshots(goods, items, set()),
        new_item_id=new_id,
        now=clock.now(),
    )
    with uow:
        uow.solitaires.add(solitaire)
        uow.commit()
    return solitaire.id


def _load_managed(
    uow: SolitaireUnitOfWork, access: StoreAccess, actor_id: str, solitaire_id: str
) -> Solitaire:
    solitaire = uow.solitaires.get(solitaire_id, for_update=True)
    if solitaire is None:
        raise NotFound(N_("No such solitaire."))
    access.authorize(user_id=actor_id, store_id=solitaire.store_id, operation=MANAGE)
    return solitaire


def update_solitaire(
    *,
    uow: SolitaireUnitOfWork,
    stores: StoreDirectory,
    access: StoreAccess,
    goods: GoodsCatalog,
    actor_id: str,
    solitaire_id: str,
    title: Any = KEEP,
    description: Any = KEEP,
    start_at: Any = KEEP,
    end_at: Any = KEEP,
    pickup_point_ids: Any = KEEP,
    items: Any = KEEP,
) -> str:
    """PATCH: the fields given change (see contracts.ItemInput for how items are matched)."""
    with uow:
        solitaire = _load_managed(uow, access, actor_id, solitaire_id)
        if solitaire.status == CLOSED:
            raise Conflict(N_("A closed solitaire cannot be edited."))
        known = {item.goods_id for item in solitaire.items}
        solitaire.revise(
            title=title,
            description=description,
            start_at=start_at,
            end_at=end_at,
            pickup_point_ids=pickup_point_ids,
            store_pickup_point_ids=stores.pickup_point_ids(solitaire.store_id)
            if pickup_point_ids is not KEEP
            else (),
            items=items,
            snapshots=_snapshots(goods, items, known) if items is not KEEP else {},
            new_item_id=new_id,
        )
        uow.solitaires.save(solitaire)
        uow.commit()
    return solitaire.id


def publish_solitaire(
    *, uow: SolitaireUnitOfWork, stores: StoreDirectory, access: StoreAccess, actor_id: str, solitaire_id: str
) -> str:
    with uow:
        solitaire = _load_managed(uow, access, actor_id, solitaire_id)
        solitaire.publish(store_active=stores.is_active(solitaire.store_id))
        uow.solitaires.save(solitaire)
        uow.commit()
    return solitaire.id


def close_solitaire(
    *, uow: SolitaireUnitOfWork, access: StoreAccess, clock: Clock, actor_id: str, solitaire_id: str
) -> str:
    with uow:
        solitaire = _load_managed(uow, access, actor_id, solitaire_id)
        solitaire.close(now=clock.now())
        uow.solitaires.save(solitaire)
        uow.commit()
    return solitaire.id


def close_by_operator(*, uow: SolitaireUnitOfWork, clock: Clock, solitaire_ids: Sequence[str]) -> int:
    """An operator's admin action: close published solitaires (others are left as they are).
    How many were closed."""
    closed = 0
    for solitaire_id in solitaire_ids:
        with uow:
            solitaire = uow.solitaires.get(str(solitaire_id), for_update=True)
            if solitaire is None or solitaire.status != PUBLISHED:
                continue
            solitaire.close(now=clock.now())
            uow.solitaires.save(solitaire)
            uow.commit()
            closed += 1
    return closed


def join_solitaire(
    *,
    uow: SolitaireUnitOfWork,
    stores: StoreDirectory,
    ordering: Ordering,
    franchises: Franchises,
    clock: Clock,
    customer_id: str,
    solitaire_id: str,
    resale_id: str | None = None,
    lines: Sequence[tuple[str, int]],
    pickup: Pickup,
    contact: Contact,
    remark: str = "",
    idempotency_key: str | None = None,
) -> OrderView:
    """Join: reserve each item's stock and have ordering create the pending order, in ONE
    transaction. The same idempotency key returns the same order and reserves nothing more."""
    if idempotency_key:
        earlier = ordering.order_by_idempotency_key(customer_id=customer_id, key=idempotency_key)
        if earlier is not None:
            return earlier
    try:
        with uow:
            solitaire = uow.solitaires.get(solitaire_id)
            if solitaire is None:
                raise NotFound(N_("No such solitaire."))
            resale = (
                franchises.resale_terms(resale_id=resale_id, solitaire_id=solitaire.id) if resale_id else None
            )
            reservations = solitaire.plan_join(
                now=clock.now(),
                store_active=stores.is_active(solitaire.store_id),
                lines=list(lines),
                pickup_point_id=pickup.pickup_point_id if pickup.method == "pickup" else None,
            )
            # Items with a per-customer limit: reserve first, then count — the conditional write
            # locks the item's row, so a concurrent join of the same customer waits here and then
            # counts our order. Items without a limit are reserved last, just before commit, so
            # their (often hot) row is locked for as short a time as possible. Every join takes
            # the locks in the same order (limited items, then the others, each by id).
            limited = [r for r in reservations if r.item.per_customer_limit is not None]
            unlimited = [r for r in reservations if r.item.per_customer_limit is None]
            _reserve(uow, limited)
            if limited:
                already = ordering.quantities_ordered(
                    customer_id=customer_id, solitaire_item_ids=[r.item.id for r in limited]
                )
                for reservation in limited:
                    reservation.item.check_limit(
                        already=already.get(reservation.item.id, 0), quantity=reservation.quantity
                    )
            order = ordering.place_order(
                customer_id=customer_id,
                store_id=solitaire.store_id,
                solitaire_id=solitaire.id,
                resale=resale,
                lines=[_line(r.item, r.quantity) for r in _in_request_order(reservations, lines)],
                pickup=pickup,
                contact=contact,
                remark=remark,
                idempotency_key=idempotency_key,
            )
            _reserve(uow, unlimited)
            uow.commit()
            return order
    except IdempotencyKeyTaken:
        # A concurrent twin with the same key committed first; our reservations rolled back.
        return ordering.order_by_idempotency_key(customer_id=customer_id, key=idempotency_key)


def _reserve(uow: SolitaireUnitOfWork, reservations: list) -> None:
    for reservation in reservations:
        if not uow.stock.reserve(reservation.item.id, reservation.quantity):
            raise Conflict(N_("{name} is sold out.", name=reservation.item.name), code="out_of_stock")


def _in_request_order(reservations, lines) -> list:
    order = {item_id: index for index, (item_id, _q) in reversed(list(enumerate(lines)))}
    return sorted(reservations, key=lambda r: order[r.item.id])


def _line(item, quantity: int) -> LineRequest:
    return LineRequest(
        goods_id=item.goods_id,
        solitaire_item_id=item.id,
        name=item.name,
        image_url=item.image_url,
        price_fen=item.price_fen,
        quantity=quantity,
    )


def add_item_to_cart(
    *,
    uow: SolitaireUnitOfWork,
    stores: StoreDirectory,
    ordering: Ordering,
    clock: Clock,
    customer_id: str,
    solitaire_item_id: str,
    quantity: int,
) -> CartLineView:
    """A cart line priced by the item's snapshot; only while the solitaire takes joins."""
    solitaire_id = uow.solitaires.solitaire_of_item(solitaire_item_id)
    solitaire = uow.solitaires.get(solitaire_id) if solitaire_id else None
    if solitaire is None:
        message = N_("No such solitaire item.")
        raise InvalidInput(message, fields={"solitaire_item_id": [message]})
    if not stores.is_active(solitaire.store_id) or not solitaire.is_open(clock.now()):
        raise not_open()
    item = solitaire.item(solitaire_item_id)
    return ordering.add_cart_line(
        customer_id=customer_id,
        store_id=solitaire.store_id,
        goods_id=item.goods_id,
        solitaire_item_id=item.id,
        name=item.name,
        image_url=item.image_url,
        price_fen=item.price_fen,
        quantity=quantity,
    )


# ---- reactions to ordering's events ------------------------------------------------------------
def record_participation(
    *,
    uow: SolitaireUnitOfWork,
    order_id: str,
    solitaire_id: str | None,
    customer_id: str,
    sequence_no: int,
    lines: Sequence[dict],
    paid_at: datetime,
) -> bool:
    """OrderPaid: the order becomes a participation with its sequence number. Once per order."""
    if not solitaire_id:
        return False
    participation = Participation.of_paid_order(
        solitaire_id=solitaire_id,
        order_id=order_id,
        customer_id=customer_id,
        sequence_no=sequence_no,
        lines=lines,
        paid_at=paid_at,
    )
    with uow:
        added = uow.participations.add_if_absent(participation)
        uow.commit()
    return added


def record_participations(*, uow: SolitaireUnitOfWork, orders: Sequence[Mapping[str, Any]]) -> int:
    """OrderPaid, many at once (`orders` are record_participation's keyword arguments): what it
    does for each, in one insert. How many participations were added."""
    participations = [Participation.of_paid_order(**order) for order in orders if order.get("solitaire_id")]
    if not participations:
        return 0
    with uow:
        added = uow.participations.add_all_if_absent(participations)
        uow.commit()
    return added


def release_order_stock(
    *,
    uow: SolitaireUnitOfWork,
    clock: Clock,
    order_id: str,
    solitaire_id: str | None,
    lines: Sequence[dict],
    reason: str,
) -> bool:
    """OrderCancelled / OrderExpired / OrderRefunded: the order's reserved stock goes back to
    its items, once per order whatever events arrive. True when it was released now."""
    if not solitaire_id:
        return False
    with uow:
        now = clock.now()
        if not uow.releases.claim(order_id=order_id, solitaire_id=solitaire_id, reason=reason, at=now):
            return False
        for line in lines:
            if line.get("solitaire_item_id"):
                uow.stock.release(line["solitaire_item_id"], int(line["quantity"]))
        if reason == "refunded":
            uow.participations.mark_refunded(order_id, now)
        uow.commit()
    return True
