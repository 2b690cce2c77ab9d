"""Repositories and mappers: rows <-> goods aggregates, and the conditional stock writes."""

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from contexts.goods import models
from contexts.goods.domain import ports
from contexts.goods.domain.model import ON_SALE, Category, Goods, HotWord
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.text import N_

# What an edit may write. stock is absolute when a merchant sets it; it is written only when it
# changed, so saving a renamed goods never undoes a reservation made since it was loaded.
EDITABLE_COLUMNS = (
    "name",
    "description",
    "image_urls",
    "price_fen",
    "stock",
    "category_id",
    "status",
    "updated_at",
)


def goods_from_row(row: models.Goods) -> Goods:
    return Goods(
        id=row.id,
        store_id=row.store_id,
        name=row.name,
        description=row.description,
        image_urls=list(row.image_urls or []),
        price_fen=row.price_fen,
        stock=row.stock,
        category_id=row.category_id,
        status=row.status,
        sales=row.sales,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def category_from_row(row: models.Category) -> Category:
    return Category(id=row.id, store_id=row.store_id, name=row.name, sort=row.sort)


def _columns(goods: Goods) -> dict:
    return {column: getattr(goods, column) for column in EDITABLE_COLUMNS}


class DjangoGoodsRepository(ports.GoodsRepository):
    def __init__(self) -> None:
        self._loaded: dict[str, dict] = {}

    def get(self, goods_id: str) -> Goods | None:
        row = models.Goods.objects.filter(pk=str(goods_id)).first()
        if row is None:
            return None
        goods = goods_from_row(row)
        self._loaded[goods.id] = _columns(goods)
        return goods

    def add(self, goods: Goods) -> None:
        models.Goods.objects.create(
            id=goods.id,
            store_id=goods.store_id,
            name=goods.name,
            description=goods.description,
            image_urls=list(goods.image_urls),
            price_fen=goods.price_fen,
            stock=goods.stock,
            sales=goods.sales,
            category_id=goods.category_id,
            status=goods.status,
            created_at=goods.created_at,
            updated_at=goods.updated_at,
        )
        self._loaded[goods.id] = _columns(goods)

    def save(self, goods: Goods) -> None:
        before = self._loaded.get(goods.id, {})
        changed = {column: value for column, value in _columns(goods).items() if before.get(column) != value}
        if changed:
            models.Goods.objects.filter(pk=goods.id).update(**changed)
            self._loaded[goods.id] = _columns(goods)

    def reserve_stock(self, goods_id: str, quantity: int) -> bool:
        return (
            models.Goods.objects.filter(pk=str(goods_id), stock__gte=quantity, status=ON_SALE).update(
                stock=F("stock") - quantity
            )
            == 1
        )

    def release_stock(self, goods_id: str, quantity: int) -> bool:
        return models.Goods.objects.filter(pk=str(goods_id)).update(stock=F("stock") + quantity) == 1

    def add_sales(self, goods_id: str, quantity: int) -> bool:
        return models.Goods.objects.filter(pk=str(goods_id)).update(sales=F("sales") + quantity) == 1

    def remove_sales(self, goods_id: str, quantity: int) -> bool:
        return (
            models.Goods.objects.filter(pk=str(goods_id)).update(
                sales=Greatest(F("sales") - quantity, Value(0))
            )
            == 1
        )


class DjangoCategoryRepository(ports.CategoryRepository):
    def get(self, category_id: str) -> Category | None:
        row = models.Category.objects.filter(pk=str(category_id)).first()
        return category_from_row(row) if row else None

    def names(self, store_id: str) -> set[str]:
        return set(models.Category.objects.filter(store_id=store_id).values_list("name", flat=True))

    def max_sort(self, store_id: str) -> int:
        last = (
            models.Category.objects.filter(store_id=store_id).order_by("-sort").values_list("sort", flat=True)
        )
        return next(iter(last[:1]), 0)

    def add(self, category: Category) -> None:
        try:
            # A savepoint: a concurrent duplicate must not break the caller's transaction.
            with transaction.atomic():
                models.Category.objects.create(
                    id=category.id, store_id=category.store_id, name=category.name, sort=category.sort
                )
        except IntegrityError:
            raise InvalidInput(
                N_("This store already has a category of that name."),
                fields={"name": [N_("A category with this name already exists in this store.")]},
            )


class DjangoHotWordRepository(ports.HotWordRepository):
    def words(self, store_id: str) -> set[str]:
        return set(models.HotWord.objects.filter(store_id=store_id).values_list("word", flat=True))

    def add(self, hot_word: HotWord) -> None:
        models.HotWord.objects.bulk_create(
            [models.HotWord(store_id=hot_word.store_id, word=hot_word.word, sort=hot_word.sort)],
            ignore_conflicts=True,
        )


class DjangoGoodsUnitOfWork(DjangoUnitOfWork, ports.GoodsUnitOfWork):
    def __init__(self) -> None:
        self.goods = DjangoGoodsRepository()
        self.categories = DjangoCategoryRepository()
        self.hot_words = DjangoHotWordRepository()
