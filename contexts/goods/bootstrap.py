"""The one place choosing goods' adapters; the bff and tasks call these ready-to-use cases."""

from datetime import datetime

from contexts.goods import contracts, services
from contexts.goods.adapters.clients import StaffQueries, StoreQueries
from contexts.goods.adapters.orm import DjangoClock, DjangoGoodsUnitOfWork

clock = DjangoClock()


def wire_services() -> None:
    services.wire(uow_factory=DjangoGoodsUnitOfWork, clock=clock)


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
