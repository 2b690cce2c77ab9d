"""Goods use cases: one keyword-only function each. Framework-free: the ports come in as
arguments (bootstrap.py hands in the Django adapters, tests hand in fakes).

The stock, sales and snapshot functions are also called by other contexts (ordering,
solitaire), which cannot build goods' adapters: for them `uow`/`clock` may be omitted and
the ones wired at start-up (bootstrap.wire_services, from GoodsConfig.ready) are used."""

from collections.abc import Callable
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
from contexts.goods.domain.ports import Clock, GoodsUnitOfWork, StaffPolicy, Stores
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.seedwork import new_id

MANAGE_GOODS = "goods.manage"
CREATE_CATEGORY = "category.create"


class _Wiring:
    uow_factory: Callable[[], GoodsUnitOfWork] | None = None
    clock: Clock | None = None


def wire(*, uow_factory: Callable[[], GoodsUnitOfWork], clock: Clock) -> None:
    _Wiring.uow_factory = uow_factory
    _Wiring.clock = clock


def _uow(uow: GoodsUnitOfWork | None) -> GoodsUnitOfWork:
    if uow is not None:
        return uow
    if _Wiring.uow_factory is None:
        raise RuntimeError("goods services are not wired: pass uow= or run bootstrap.wire_services()")
    return _Wiring.uow_factory()


def _clock(clock: Clock | None) -> Clock:
    if clock is not None:
        return clock
    if _Wiring.clock is None:
        raise RuntimeError("goods services are not wired: pass clock= or run bootstrap.wire_services()")
    return _Wiring.clock


def goods_view(goods: Goods) -> contracts.GoodsView:
    return contracts.GoodsView(
        id=goods.id,
        store_id=goods.store_id,
        name=goods.name,
        description=goods.description,
        image_urls=tuple(goods.image_urls),
        price_fen=goods.price_fen,
        category_id=goods.category_id,
        status=goods.status,
        stock=goods.stock,
        sales=goods.sales,
        created_at=goods.created_at,
        updated_at=goods.updated_at,
    )


def _category_for(uow: GoodsUnitOfWork, store_id: str, category_id: Any) -> Category | None:
    if category_id is None:
        return None
    if not isinstance(category_id, str):
        raise InvalidInput("category_id must be a string.", fields={"category_id": ["Must be a string id."]})
    return check_category_belongs(uow.categories.get(category_id), store_id)


def _load(uow: GoodsUnitOfWork, goods_id: str) -> Goods:
    goods = uow.goods.get(goods_id)
    if goods is None:
        raise NotFound("No such goods.")
    return goods


def create_goods(
    *,
    uow: GoodsUnitOfWork,
    clock: Clock,
    stores: Stores,
    staff: StaffPolicy,
    actor_id: str,
    store_id: str,
    name: Any,
    price_fen: Any,
    stock: Any,
    description: Any = "",
    image_urls: Any = None,
    category_id: Any = None,
) -> contracts.GoodsView:
    stores.ensure_exists(store_id)
    staff.authorize(user_id=actor_id, store_id=store_id, operation=MANAGE_GOODS)
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
        uow.collect(goods)
        uow.commit()
    return goods_view(goods)


def edit_goods(
    *,
    uow: GoodsUnitOfWork,
    clock: Clock,
    staff: StaffPolicy,
    actor_id: str,
    goods_id: str,
    changes: dict[str, Any],
) -> contracts.GoodsView:
    """A partial update of name, description, image_urls, price_fen, stock, category_id, status;
    every change or none."""
    with uow:
        goods = _load(uow, goods_id)
        staff.authorize(user_id=actor_id, store_id=goods.store_id, operation=MANAGE_GOODS)
        category = (
            _category_for(uow, goods.store_id, changes["category_id"]) if "category_id" in changes else None
        )
        goods.edit(changes=dict(changes), category=category, now=clock.now())
        uow.goods.save(goods)
        uow.collect(goods)
        uow.commit()
    return goods_view(goods)


def take_off_shelf(
    *, uow: GoodsUnitOfWork, clock: Clock, staff: StaffPolicy, actor_id: str, goods_id: str
) -> None:
    """Goods leave the shelf; snapshots already taken keep their copy."""
    with uow:
        goods = _load(uow, goods_id)
        staff.authorize(user_id=actor_id, store_id=goods.store_id, operation=MANAGE_GOODS)
        if goods.take_off_shelf(now=clock.now()):
            uow.goods.save(goods)
        uow.collect(goods)
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
    *, uow: GoodsUnitOfWork, stores: Stores, staff: StaffPolicy, actor_id: str, store_id: str, name: Any
) -> contracts.CategoryView:
    """A new category goes last. Names are unique per store (400 invalid, fields name)."""
    stores.ensure_exists(store_id)
    staff.authorize(user_id=actor_id, store_id=store_id, operation=CREATE_CATEGORY)
    with uow:
        category = Category.create(store_id=store_id, name=name, sort=uow.categories.max_sort(store_id) + 1)
        if category.name in uow.categories.names(store_id):
            raise InvalidInput(
                "This store already has a category of that name.",
                fields={"name": ["A category with this name already exists in this store."]},
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
    goods_id: str,
    store_id: str | None = None,
    require_on_sale: bool = True,
    uow: GoodsUnitOfWork | None = None,
    clock: Clock | None = None,
) -> contracts.GoodsSnapshot:
    """A frozen copy of the goods now. NotFound for unknown goods (or goods of another store
    when `store_id` is given); Conflict invalid_state for off-shelf goods unless
    require_on_sale is False."""
    uow = _uow(uow)
    goods = uow.goods.get(goods_id)
    if goods is None or (store_id is not None and goods.store_id != store_id):
        raise NotFound("No such goods.")
    if require_on_sale and goods.status == OFF_SHELF:
        raise Conflict("These goods are off the shelf.")
    return contracts.GoodsSnapshot(
        goods_id=goods.id,
        store_id=goods.store_id,
        name=goods.name,
        price_fen=goods.price_fen,
        image_url=goods.first_image,
        taken_at=_clock(clock).now(),
    )


def reserve_stock(*, goods_id: str, quantity: int, uow: GoodsUnitOfWork | None = None) -> None:
    """Take `quantity` off the goods' stock. Conflict out_of_stock when not that much is left,
    invalid_state when the goods are off the shelf; NotFound for unknown goods.
    Runs inside the caller's transaction when there is one (a savepoint)."""
    quantity = check_quantity(quantity)
    uow = _uow(uow)
    with uow:
        if not uow.goods.reserve_stock(goods_id, quantity):
            # The write decided; this read only explains the refusal.
            goods = _load(uow, goods_id)
            if goods.status == OFF_SHELF:
                raise Conflict("These goods are off the shelf.")
            raise Conflict("Not enough stock left.", code="out_of_stock")
        uow.commit()


def _conditional(method: str, goods_id: str, quantity: int, uow: GoodsUnitOfWork | None) -> None:
    quantity = check_quantity(quantity)
    uow = _uow(uow)
    with uow:
        if not getattr(uow.goods, method)(goods_id, quantity):
            raise NotFound("No such goods.")
        uow.commit()


def release_stock(*, goods_id: str, quantity: int, uow: GoodsUnitOfWork | None = None) -> None:
    """Give back stock reserved earlier (an order cancelled, expired or refunded)."""
    _conditional("release_stock", goods_id, quantity, uow)


def add_sales(*, goods_id: str, quantity: int, uow: GoodsUnitOfWork | None = None) -> None:
    _conditional("add_sales", goods_id, quantity, uow)


def remove_sales(*, goods_id: str, quantity: int, uow: GoodsUnitOfWork | None = None) -> None:
    """Sales never go below 0."""
    _conditional("remove_sales", goods_id, quantity, uow)


def _lines(lines: list[dict]) -> list[tuple[str, int]]:
    return [(line["goods_id"], int(line["quantity"])) for line in lines if line.get("goods_id")]


def count_order_sales(*, lines: list[dict], uow: GoodsUnitOfWork | None = None) -> None:
    """OrderPaid: every line's quantity counts as sales of its goods, in or out of a solitaire."""
    for goods_id, quantity in _lines(lines):
        add_sales(goods_id=goods_id, quantity=quantity, uow=uow)


def release_order_stock(
    *, solitaire_id: str | None, lines: list[dict], uow: GoodsUnitOfWork | None = None
) -> None:
    """OrderCancelled / OrderExpired: an order placed outside a solitaire reserved goods stock;
    a solitaire order reserved the solitaire's own stock, which the solitaire gives back."""
    if solitaire_id:
        return
    for goods_id, quantity in _lines(lines):
        release_stock(goods_id=goods_id, quantity=quantity, uow=uow)


def reverse_order_sales(
    *, solitaire_id: str | None, lines: list[dict], uow: GoodsUnitOfWork | None = None
) -> None:
    """OrderRefunded: the sales are undone, and goods stock comes back for a goods order."""
    for goods_id, quantity in _lines(lines):
        remove_sales(goods_id=goods_id, quantity=quantity, uow=uow)
    release_order_stock(solitaire_id=solitaire_id, lines=lines, uow=uow)
