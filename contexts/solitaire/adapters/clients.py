"""Solitaire's calls into other contexts: store, staff, goods (queries) and ordering (its
bootstrap use cases, which run inside the join's transaction)."""

from collections.abc import Callable
from typing import Any

from contexts.goods import queries as goods_queries
from contexts.ordering import bootstrap as ordering
from contexts.ordering import queries as ordering_queries
from contexts.ordering.contracts import LineRequest
from contexts.solitaire.domain.ports import GoodsCatalog, Ordering, OrderLine, StaffPolicy, Stores
from contexts.staff import queries as staff_queries
from contexts.store import queries as store_queries


class StoreQueries(Stores):
    def ensure_exists(self, store_id: str) -> None:
        store_queries.store_summary(store_id)

    def is_active(self, store_id: str) -> bool:
        return store_queries.is_active(store_id)

    def pickup_point_ids(self, store_id: str) -> list[str]:
        return [point.id for point in store_queries.pickup_points(store_id)]


class StaffQueries(StaffPolicy):
    def authorize(self, *, user_id: str, store_id: str, operation: str) -> str:
        return staff_queries.authorize(user_id, store_id, operation)


class GoodsQueries(GoodsCatalog):
    def snapshots(self, goods_ids: list[str]) -> dict:
        found = goods_queries.snapshots(goods_ids)
        # Off-shelf goods (deleted by the merchant) do not enter a new solitaire.
        statuses = goods_queries.goods_statuses(list(found))
        return {goods_id: snap for goods_id, snap in found.items() if statuses.get(goods_id) == "on_sale"}


class OrderingClient(Ordering):
    def quantities_ordered(self, *, customer_id: str, solitaire_item_ids: list[str]) -> dict[str, int]:
        return ordering_queries.quantities_ordered(
            customer_id=customer_id, solitaire_item_ids=solitaire_item_ids
        )

    def place_order(self, *, lines: list[OrderLine], **order: Any) -> Any:
        requests = [
            LineRequest(
                goods_id=line.goods_id,
                solitaire_item_id=line.solitaire_item_id,
                name=line.name,
                image_url=line.image_url,
                price_fen=line.price_fen,
                quantity=line.quantity,
            )
            for line in lines
        ]
        return ordering.place_order(lines=requests, **order)

    def idempotent(self, *, customer_id: str, key: str, place: Callable[[], Any]) -> Any:
        return ordering.idempotent(customer_id=customer_id, key=key, place=place)

    def add_cart_line(self, **line: Any) -> Any:
        return ordering.add_cart_line(**line)
