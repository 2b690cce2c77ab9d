"""South ports of goods: repositories and the unit of work. Stores and staff are asked through
the shared kernel's ports (StoreDirectory, StoreAccess)."""

import abc

from contexts.goods.domain.model import Category, Goods, HotWord
from contexts.shared.domain.ports import Repository, UnitOfWork


class GoodsRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, goods_id: str) -> Goods | None: ...

    @abc.abstractmethod
    def add(self, goods: Goods) -> None: ...

    @abc.abstractmethod
    def save(self, goods: Goods) -> None:
        """Writes the editable fields; never stock-by-reservation or sales (those move only
        through the conditional methods below, so an edit cannot undo a concurrent sale)."""

    @abc.abstractmethod
    def reserve_stock(self, goods_id: str, quantity: int) -> bool:
        """Take `quantity` off the stock in ONE conditional write, only if the goods are on sale
        and have that much left. True when it was taken."""

    @abc.abstractmethod
    def release_stock(self, goods_id: str, quantity: int) -> bool:
        """Give `quantity` back. False when the goods do not exist."""

    @abc.abstractmethod
    def add_sales(self, goods_id: str, quantity: int) -> bool: ...

    @abc.abstractmethod
    def remove_sales(self, goods_id: str, quantity: int) -> bool:
        """Lower sales by `quantity`, never below 0. False when the goods do not exist."""


class CategoryRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, category_id: str) -> Category | None: ...

    @abc.abstractmethod
    def names(self, store_id: str) -> set[str]: ...

    @abc.abstractmethod
    def max_sort(self, store_id: str) -> int:
        """0 for a store without categories."""

    @abc.abstractmethod
    def add(self, category: Category) -> None:
        """Raises InvalidInput (fields name) when the store already has a category of that name."""


class HotWordRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def words(self, store_id: str) -> set[str]: ...

    @abc.abstractmethod
    def add(self, hot_word: HotWord) -> None: ...


class GoodsUnitOfWork(UnitOfWork):
    goods: GoodsRepository
    categories: CategoryRepository
    hot_words: HotWordRepository
