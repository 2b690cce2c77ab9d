"""The one place choosing goods' adapters; the bff, tasks and other contexts' clients call
these ready-to-use cases."""

from datetime import datetime

from contexts.goods import contracts, services
from contexts.goods.adapters.clients import StaffQueries, StoreQueries
from contexts.goods.adapters.orm import DjangoClock, DjangoGoodsUnitOfWork

clock = DjangoClock()


def create_goods(*, actor_id: str, store_id: str, **fields) -> contracts.GoodsView:
    return services.create_goods(
        uow=DjangoGoodsUnitOfWork(),
        clock=clock,
        stores=StoreQueries(),
        staff=StaffQueries(),
        actor_id=actor_id,
        store_id=store_id,
        **fields,
    )


def edit_goods(*, actor_id: str, goods_id: str, changes: dict) -> contracts.GoodsView:
    return services.edit_goods(
        uow=DjangoGoodsUnitOfWork(),
        clock=clock,
        staff=StaffQueries(),
        actor_id=actor_id,
        goods_id=goods_id,
        changes=changes,
    )


def take_off_shelf(*, actor_id: str, goods_id: str) -> None:
    services.take_off_shelf(
        uow=DjangoGoodsUnitOfWork(), clock=clock, staff=StaffQueries(), actor_id=actor_id, goods_id=goods_id
    )


def take_off_shelf_by_operator(*, goods_ids: list[str]) -> int:
    return services.take_off_shelf_by_operator(uow=DjangoGoodsUnitOfWork(), clock=clock, goods_ids=goods_ids)


def create_category(*, actor_id: str, store_id: str, name) -> contracts.CategoryView:
    return services.create_category(
        uow=DjangoGoodsUnitOfWork(),
        stores=StoreQueries(),
        staff=StaffQueries(),
        actor_id=actor_id,
        store_id=store_id,
        name=name,
    )


def seed_store_defaults(*, store_id: str, created_at: datetime) -> None:
    services.seed_store_defaults(uow=DjangoGoodsUnitOfWork(), store_id=store_id, created_at=created_at)


def snapshot_goods(
    *, goods_id: str, store_id: str | None = None, require_on_sale: bool = True
) -> contracts.GoodsSnapshot:
    return services.snapshot_goods(
        uow=DjangoGoodsUnitOfWork(),
        clock=clock,
        goods_id=goods_id,
        store_id=store_id,
        require_on_sale=require_on_sale,
    )


def reserve_stock(*, goods_id: str, quantity: int) -> None:
    services.reserve_stock(uow=DjangoGoodsUnitOfWork(), goods_id=goods_id, quantity=quantity)


def release_stock(*, goods_id: str, quantity: int) -> None:
    services.release_stock(uow=DjangoGoodsUnitOfWork(), goods_id=goods_id, quantity=quantity)


def add_sales(*, goods_id: str, quantity: int) -> None:
    services.add_sales(uow=DjangoGoodsUnitOfWork(), goods_id=goods_id, quantity=quantity)


def remove_sales(*, goods_id: str, quantity: int) -> None:
    services.remove_sales(uow=DjangoGoodsUnitOfWork(), goods_id=goods_id, quantity=quantity)


def count_order_sales(*, lines: list[dict]) -> None:
    services.count_order_sales(uow=DjangoGoodsUnitOfWork(), lines=lines)


def release_order_stock(*, solitaire_id: str | None, lines: list[dict]) -> None:
    services.release_order_stock(uow=DjangoGoodsUnitOfWork(), solitaire_id=solitaire_id, lines=lines)


def reverse_order_sales(*, solitaire_id: str | None, lines: list[dict]) -> None:
    services.reverse_order_sales(uow=DjangoGoodsUnitOfWork(), solitaire_id=solitaire_id, lines=lines)
