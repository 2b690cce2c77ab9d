"""South ports of solitaire: repositories, the stock ledger, the unit of work, and the other
contexts a solitaire asks (store, staff, goods, ordering)."""

import abc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contexts.shared.domain.ports import Clock, UnitOfWork  # noqa: F401  (re-exported for services)
from contexts.solitaire.domain.model import Participation, Snapshot, Solitaire


class SolitaireRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, solitaire_id: str, *, for_update: bool = False) -> Solitaire | None:
        """With `for_update`, the solitaire and its items stay locked until the transaction ends."""

    @abc.abstractmethod
    def solitaire_of_item(self, item_id: str) -> str | None:
        """The id of the solitaire holding that item, or None."""

    @abc.abstractmethod
    def add(self, solitaire: Solitaire) -> None: ...

    @abc.abstractmethod
    def save(self, solitaire: Solitaire) -> None:
        """Writes everything but `sold` (which only the stock ledger moves). Removing an item that
        got sales meanwhile raises Conflict(item_has_sales)."""


class StockLedger(abc.ABC):
    @abc.abstractmethod
    def reserve(self, item_id: str, quantity: int) -> bool:
        """ONE conditional write: sold += quantity only where sold + quantity <= stock.
        True when it was taken."""

    @abc.abstractmethod
    def release(self, item_id: str, quantity: int) -> bool:
        """sold -= quantity only where sold >= quantity. True when it was given back."""


class ParticipationRepository(abc.ABC):
    @abc.abstractmethod
    def add_if_absent(self, participation: Participation) -> bool:
        """False when that order already has its participation (a unique order_id)."""

    @abc.abstractmethod
    def mark_refunded(self, order_id: str, at: datetime) -> bool: ...


class ReleaseLog(abc.ABC):
    @abc.abstractmethod
    def claim(self, *, order_id: str, solitaire_id: str, reason: str, at: datetime) -> bool:
        """True the first time an order's stock is released (cancel, expiry or refund), False
        after: an order gives its stock back once, whatever the events."""


class SolitaireUnitOfWork(UnitOfWork):
    solitaires: SolitaireRepository
    stock: StockLedger
    participations: ParticipationRepository
    releases: ReleaseLog


class Stores(abc.ABC):
    @abc.abstractmethod
    def ensure_exists(self, store_id: str) -> None:
        """Raises NotFound for an unknown store."""

    @abc.abstractmethod
    def is_active(self, store_id: str) -> bool: ...

    @abc.abstractmethod
    def pickup_point_ids(self, store_id: str) -> list[str]: ...


class StaffPolicy(abc.ABC):
    @abc.abstractmethod
    def authorize(self, *, user_id: str, store_id: str, operation: str) -> str:
        """The user's role; raises PermissionDenied when that role may not do `operation`."""


class GoodsCatalog(abc.ABC):
    @abc.abstractmethod
    def snapshots(self, goods_ids: list[str]) -> dict[str, Snapshot]:
        """The goods on sale among `goods_ids` as they are now, by goods id (whatever store);
        unknown or off-shelf goods are absent."""


@dataclass(frozen=True)
class OrderLine:
    goods_id: str
    solitaire_item_id: str
    name: str
    image_url: str
    price_fen: int
    quantity: int


class Ordering(abc.ABC):
    """The ordering context, as a solitaire needs it. Orders are ordering's: a join reserves
    the solitaire's stock and asks ordering to create the order in the same transaction."""

    @abc.abstractmethod
    def quantities_ordered(self, *, customer_id: str, solitaire_item_ids: list[str]) -> dict[str, int]:
        """Per item, the quantity in the customer's pending, paid and completed orders."""

    @abc.abstractmethod
    def place_order(
        self,
        *,
        customer_id: str,
        store_id: str,
        solitaire_id: str,
        resale_id: str | None,
        lines: list[OrderLine],
        pickup: Any,
        contact: Any,
        remark: str,
        idempotency_key: str | None,
    ) -> Any: ...

    @abc.abstractmethod
    def idempotent(self, *, customer_id: str, key: str, place: Callable[[], Any]) -> Any:
        """The order already placed with that key, or place() (in a savepoint)."""

    @abc.abstractmethod
    def add_cart_line(
        self,
        *,
        customer_id: str,
        store_id: str,
        goods_id: str,
        solitaire_item_id: str,
        name: str,
        image_url: str,
        price_fen: int,
        quantity: int,
    ) -> Any: ...
