"""Goods use cases: one keyword-only function each. Framework-free: the ports come in as
arguments (bootstrap.py binds them by name, tests hand in fakes). Other contexts (ordering)
reach the stock, sales and snapshot use cases through goods' bootstrap."""

from datetime import datetime
from typing import Any

from contexts.goods import contracts
from contexts.goods.domain.defaults import default_categories, default_hot_words
from contexts.goods.domain.model import (
    OFF_SHELF,
    Category,
    Goods,
    HotWord,
    check_category_belongs,
    check_quantity,
)
from contexts.goods.domain.ports import GoodsUnitOfWork
from contexts.goods.mappers import goods_view
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock, StoreAccess, StoreDirectory
from contexts.shared.domain.seedwork import new_id
from contexts.shared.domain.text import N_

MANAGE_GOODS = "goods.manage"
CREATE_CATEGORY = "category.create"


def _category_for(uow: GoodsUnitOfWork, store_id: str, category_id: str | None) -> Category | None:
    if category_id is None:
        return None
    return check_category_belongs(uow.categories.get(category_id), store_id)


def _load(uow: GoodsUnitOfWork, goods_id: str) -> Goods:
    goods = uow.goods.get(goods_id)
    if goods is None:
        raise NotFound(N_("No such goods."))
    return goods


def create_goods(
    *,
    uow: GoodsUnitOfWork,
    clock: Clock,
    stores: StoreDirectory,
    access: StoreAccess,
    actor_id: str,
    store_id: str,
    name: Any,
    price_fen: Any,
    stock: Any,
    description: Any = "",
    image_urls: Any = None,
    category_id: str | None = None,
) -> contracts.GoodsView:
    stores.require(store_id)
    access.authorize(user_id=actor_id, store_id=store_id, operation=MANAGE_GOODS)
    with uow:
        category = _category_for(uow, store_id, category_id)
        goods = Goods.create(
            store_id=store_id,
            name=name,
            price_fen=price_fen,
            stock=stock,
            description=description,
            image_urls=image_urls,
            category=category,
            now=clock.now(),
        )
        uow.goods.add(goods)
        uow.commit()
    return goods_view(goods)


def edit_goods(
    *,
    uow: GoodsUnitOfWork,
    clock: Clock,
    access: StoreAccess,
    actor_id: str,
    goods_id: str,
    changes: dict[str, Any],
) -> contracts.GoodsView:
    """A partial update of name, description, image_urls, price_fen, stock, category_id, status;
    every change or none."""
    with uow:
        goods = _load(uow, goods_id)
        access.authorize(user_id=actor_id, store_id=goods.store_id, operation=MANAGE_GOODS)
        category = (
            _category_for(uow, goods.store_id, changes["category_id"]) if "category_id" in changes else None
        )
        goods.edit(changes=dict(changes), category=category, now=clock.now())
        uow.goods.save(goods)
        uow.commit()
    return goods_view(goods)


def take_off_shelf(
    *, uow: GoodsUnitOfWork, clock: Clock, access: StoreAccess, actor_id: str, goods_id: str
) -> None:
    """Goods leave the shelf; snapshots already taken keep their copy."""
    with uow:
        goods = _load(uow, goods_id)
        access.authorize(user_id=actor_id, store_id=goods.store_id, operation=MANAGE_GOODS)
        if goods.take_off_shelf(now=clock.now()):
            uow.goods.save(goods)
        uow.commit()


def take_off_shelf_by_operator(*, uow: GoodsUnitOfWork, clock: Clock, goods_ids: list[str]) -> int:
    """The platform operator's correction (admin): how many goods left the shelf."""
    taken = 0
    with uow:
        for goods_id in goods_ids:
            goods = uow.goods.get(goods_id)
            if goods is not None and goods.take_off_shelf(now=clock.now()):
                uow.goods.save(goods)
                taken += 1
        uow.commit()
    return taken


def create_category(
    *,
    uow: GoodsUnitOfWork,
    stores: StoreDirectory,
    access: StoreAccess,
    actor_id: str,
    store_id: str,
    name: Any,
) -> contracts.CategoryView:
    """A new category goes last. Names are unique per store (400 invalid, fields name)."""
    stores.require(store_id)
    access.authorize(user_id=actor_id, store_id=store_id, operation=CREATE_CATEGORY)
    with uow:
        category = Category.create(store_id=store_id, name=name, sort=uow.categories.max_sort(store_id) + 1)
        if category.name in uow.categories.names(store_id):
            raise InvalidInput(
                N_("This store already has a category of that name."),
                fields={"name": [N_("A category with this name already exists in this store.")]},
            )
        uow.categories.add(category)
        uow.commit()
    return contracts.CategoryView(
        id=category.id, store_id=category.store_id, name=category.name, sort=category.sort
    )


def seed_store_defaults(*, uow: GoodsUnitOfWork, store_id: str, created_at: datetime) -> None:
    """On StoreCreated: the season's default categories and the default hot words. Adds only
    what the store lacks, so a repeated delivery (or a category the owner already made with
    the same name) creates nothing twice."""
    with uow:
        existing = uow.categories.names(store_id)
        for name, sort in default_categories(created_at):
            if name not in existing:
                uow.categories.add(Category(id=new_id(), store_id=store_id, name=name, sort=sort))
        words = uow.hot_words.words(store_id)
        for word, sort in default_hot_words():
            if word not in words:
                uow.hot_words.add(HotWord(store_id=store_id, word=word, sort=sort))
        uow.commit()


def snapshot_goods(
    *,
    uow: GoodsUnitOfWork,
    clock: Clock,
    goods_id: str,
    store_id: str | None = None,
    require_on_sale: bool = True,
) -> contracts.GoodsSnapshot:
    """A frozen copy of the goods now. NotFound for unknown goods (or goods of another store
    when `store_id` is given); Conflict invalid_state for off-shelf goods unless
    require_on_sale is False."""
    goods = uow.goods.get(goods_id)
    if goods is None or (store_id is not None and goods.store_id != store_id):
        raise NotFound(N_("No such goods."))
    if require_on_sale and goods.status == OFF_SHELF:
        raise Conflict(N_("These goods are off the shelf."))
    return contracts.GoodsSnapshot(
        goods_id=goods.id,
        store_id=goods.store_id,
        name=goods.name,
        price_fen=goods.price_fen,
        image_url=goods.first_image,
        taken_at=clock.now(),
    )


def reserve_stock(*, uow: GoodsUnitOfWork, goods_id: str, quantity: int) -> None:
    """Take `quantity` off the goods' stock. Conflict out_of_stock when not that much is left,
    invalid_state when the goods are off the shelf; NotFound for unknown goods.
    Runs inside the caller's transaction when there is one (a savepoint)."""
    quantity = check_quantity(quantity)
    with uow:
        if not uow.goods.reserve_stock(goods_id, quantity):
            # The write decided; this read only explains the refusal.
            goods = _load(uow, goods_id)
            if goods.status == OFF_SHELF:
                raise Conflict(N_("These goods are off the shelf."))
            raise Conflict(N_("Not enough stock left."), code="out_of_stock")
        uow.commit()


def _conditional(method: str, goods_id: str, quantity: int, uow: GoodsUnitOfWork) -> None:
    quantity = check_quantity(quantity)
    with uow:
        if not getattr(uow.goods, method)(goods_id, quantity):
            raise NotFound(N_("No such goods."))
        uow.commit()


def release_stock(*, uow: GoodsUnitOfWork, goods_id: str, quantity: int) -> None:
    """Give back stock reserved earlier (an order cancelled, expired or refunded)."""
    _conditional("release_stock", goods_id, quantity, uow)


def add_sales(*, uow: GoodsUnitOfWork, goods_id: str, quantity: int) -> None:
    _conditional("add_sales", goods_id, quantity, uow)


def remove_sales(*, uow: GoodsUnitOfWork, goods_id: str, quantity: int) -> None:
    """Sales never go below 0."""
    _conditional("remove_sales", goods_id, quantity, uow)


def _lines(lines: list[dict]) -> list[tuple[str, int]]:
    return [(line["goods_id"], int(line["quantity"])) for line in lines if line.get("goods_id")]


def count_order_sales(*, uow: GoodsUnitOfWork, lines: list[dict]) -> None:
    """OrderPaid: every line's quantity counts as sales of its goods, in or out of a solitaire."""
    for goods_id, quantity in _lines(lines):
        add_sales(goods_id=goods_id, quantity=quantity, uow=uow)


def count_orders_sales(*, uow: GoodsUnitOfWork, orders: list[list[dict]]) -> None:
    """OrderPaid, many at once (the lines of each order): what count_order_sales does for each,
    in one write per goods."""
    totals: dict[str, int] = {}
    for lines in orders:
        for goods_id, quantity in _lines(lines):
            totals[goods_id] = totals.get(goods_id, 0) + check_quantity(quantity)
    with uow:
        for goods_id in sorted(totals):  # the same order in every task: no deadlock between two
            if not uow.goods.add_sales(goods_id, totals[goods_id]):
                raise NotFound(N_("No such goods."))
        uow.commit()


def release_order_stock(*, uow: GoodsUnitOfWork, solitaire_id: str | None, lines: list[dict]) -> None:
    """OrderCancelled / OrderExpired: an order placed outside a solitaire reserved goods stock;
    a solitaire order reserved the solitaire's own stock, which the solitaire gives back."""
    if solitaire_id:
        return
    for goods_id, quantity in _lines(lines):
        release_stock(goods_id=goods_id, quantity=quantity, uow=uow)


def reverse_order_sales(*, uow: GoodsUnitOfWork, lines: list[dict]) -> None:
    """OrderRefunded: the sales are undone (the stock came back with release_order_stock)."""
    for goods_id, quantity in _lines(lines):
        remove_sales(goods_id=goods_id, quantity=quantity, uow=uow)
