"""Solitaire's calls into goods (snapshots), affiliate (resale terms) and ordering (orders and
cart lines, created inside the join's transaction). Calls go one way: none of them calls back."""

from contexts.affiliate import queries as affiliate_queries
from contexts.goods import queries as goods_queries
from contexts.ordering import bootstrap as ordering
from contexts.ordering import queries as ordering_queries
from contexts.ordering.contracts import CartLineView, OrderView, Resale
from contexts.solitaire.domain.ports import Franchises, GoodsCatalog, Ordering


class GoodsQueries(GoodsCatalog):
    def snapshots(self, goods_ids: list[str]) -> dict:
        found = goods_queries.snapshots(goods_ids)
        # Off-shelf goods (deleted by the merchant) do not enter a new solitaire.
        statuses = goods_queries.goods_statuses(list(found))
        return {goods_id: snap for goods_id, snap in found.items() if statuses.get(goods_id) == "on_sale"}


class AffiliateQueries(Franchises):
    def resale_terms(self, *, resale_id: str, solitaire_id: str) -> Resale:
        terms = affiliate_queries.resale_terms(resale_id=resale_id, solitaire_id=solitaire_id)
        return Resale(
            resale_id=terms.resale_id,
            affiliate_store_id=terms.affiliate_store_id,
            commission_bps=terms.commission_bps,
            billing_cycle=terms.billing_cycle,
        )


class OrderingServices(Ordering):
    def quantities_ordered(self, *, customer_id: str, solitaire_item_ids: list[str]) -> dict[str, int]:
        return ordering_queries.quantities_ordered(
            customer_id=customer_id, solitaire_item_ids=solitaire_item_ids
        )

    def place_order(self, **order) -> OrderView:
        return ordering.place_order(**order)

    def order_by_idempotency_key(self, *, customer_id: str, key: str) -> OrderView | None:
        return ordering.order_by_idempotency_key(customer_id=customer_id, key=key)

    def add_cart_line(self, **line) -> CartLineView:
        return ordering.add_cart_line(**line)
