"""Rows other contexts own, written straight to the database for tests that publish synthetic
events: an order's goods always exist (goods are taken off the shelf, never deleted), and goods
gives a cancelled or refunded goods order's stock back inside the order's own transaction."""

from datetime import UTC, datetime


def goods_row(goods_id: str, store_id: str = "store-1", *, stock: int = 10) -> None:
    from contexts.goods.models import Goods

    at = datetime(2025, 3, 1, tzinfo=UTC)
    Goods.objects.create(
        id=goods_id,
        store_id=store_id,
        name="蛋",
        price_fen=1,
        stock=stock,
        sales=0,
        created_at=at,
        updated_at=at,
    )
