"""Domain -> published language: goods as every use case and read answers them. Framework-free."""

from contexts.goods import contracts
from contexts.goods.domain.model import Goods


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
