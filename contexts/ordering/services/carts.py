"""The cart: lines put aside in one store, priced by the snapshot taken when added."""

from contexts.ordering import contracts
from contexts.ordering.domain.model import Snapshot, check_quantity
from contexts.ordering.domain.ports import GoodsCatalog, OrderingUnitOfWork
from contexts.ordering.mappers import cart_line_view
from contexts.shared.domain.errors import Conflict, NotFound
from contexts.shared.domain.text import N_


def add_cart_line(
    *,
    uow: OrderingUnitOfWork,
    customer_id: str,
    store_id: str,
    goods_id: str,
    solitaire_item_id: str | None,
    name: str,
    image_url: str,
    price_fen: int,
    quantity: int,
) -> contracts.CartLineView:
    """Put a snapshot the caller took into the customer's cart of that store; the same item
    again adds to its quantity (keeping the price first promised)."""
    snapshot = Snapshot(
        goods_id=goods_id,
        solitaire_item_id=solitaire_item_id,
        name=name,
        image_url=image_url,
        price_fen=price_fen,
    )
    check_quantity(quantity)
    with uow:
        cart = uow.carts.get_or_open(customer_id, store_id)
        line = uow.carts.add_line(cart, cart.new_line(snapshot=snapshot, quantity=quantity))
        uow.commit()
    return cart_line_view(line)


def add_goods_to_cart(
    *, uow: OrderingUnitOfWork, goods: GoodsCatalog, customer_id: str, goods_id: str, quantity: int
) -> contracts.CartLineView:
    check_quantity(quantity)
    found = goods.snapshot(goods_id)
    if not found.on_sale:
        raise Conflict(N_("These goods are not on sale."))
    return add_cart_line(
        uow=uow,
        customer_id=customer_id,
        store_id=found.store_id,
        goods_id=found.snapshot.goods_id,
        solitaire_item_id=None,
        name=found.snapshot.name,
        image_url=found.snapshot.image_url,
        price_fen=found.snapshot.price_fen,
        quantity=quantity,
    )


def _own_line(uow: OrderingUnitOfWork, line_id: str, customer_id: str):
    found = uow.carts.line(line_id)
    if found is None or found[0].customer_id != customer_id:
        raise NotFound(N_("No such cart line."))
    return found[1]


def change_cart_line(
    *, uow: OrderingUnitOfWork, customer_id: str, line_id: str, quantity: int
) -> contracts.CartLineView:
    with uow:
        line = _own_line(uow, line_id, customer_id)
        line.change_quantity(quantity)
        uow.carts.save_line(line)
        uow.commit()
    return cart_line_view(line)


def remove_cart_line(*, uow: OrderingUnitOfWork, customer_id: str, line_id: str) -> None:
    with uow:
        uow.carts.delete_line(_own_line(uow, line_id, customer_id))
        uow.commit()
