"""South ports of solitaire: repositories, the stock ledger, the unit of work, and the
contexts a solitaire calls (goods, affiliate, ordering); who may act and which stores exist are the
shared kernel's ports."""

import abc
from datetime import datetime

from contexts.ordering.contracts import CartLineView, Contact, LineRequest, OrderView, Pickup, Resale
from contexts.shared.domain.ports import Repository, UnitOfWork
from contexts.solitaire.domain.model import Participation, Snapshot, Solitaire


class SolitaireRepository(Repository, abc.ABC):
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


class StockLedger(Repository, abc.ABC):
    @abc.abstractmethod
    def reserve(self, item_id: str, quantity: int) -> bool:
        """ONE conditional write: sold += quantity only where sold + quantity <= stock.
        True when it was taken."""

    @abc.abstractmethod
    def release(self, item_id: str, quantity: int) -> bool:
        """sold -= quantity only where sold >= quantity. True when it was given back."""


class ParticipationRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def add_if_absent(self, participation: Participation) -> bool:
        """False when that order already has its participation (a unique order_id)."""

    def add_all_if_absent(self, participations: list[Participation]) -> int:
        """add_if_absent of each: how many were added."""
        return sum(self.add_if_absent(participation) for participation in participations)

    @abc.abstractmethod
    def mark_refunded(self, order_id: str, at: datetime) -> bool: ...


class ReleaseLog(Repository, abc.ABC):
    @abc.abstractmethod
    def claim(self, *, order_id: str, solitaire_id: str, reason: str, at: datetime) -> bool:
        """True the first time an order's stock is released (cancel, expiry or refund), False
        after: an order gives its stock back once, whatever the events."""


class SolitaireUnitOfWork(UnitOfWork):
    solitaires: SolitaireRepository
    stock: StockLedger
    participations: ParticipationRepository
    releases: ReleaseLog


class GoodsCatalog(abc.ABC):
    @abc.abstractmethod
    def snapshots(self, goods_ids: list[str]) -> dict[str, Snapshot]:
        """The goods on sale among `goods_ids` as they are now, by goods id (whatever store);
        unknown or off-shelf goods are absent."""


class Franchises(abc.ABC):
    """The affiliate context, as a join through a resale needs it."""

    @abc.abstractmethod
    def resale_terms(self, *, resale_id: str, solitaire_id: str) -> Resale:
        """The resale's terms in force now; Conflict `franchise_disabled` unless the resale is
        this solitaire's and its store is a member of the brand's enabled franchise."""


class Ordering(abc.ABC):
    """The ordering context, as a solitaire needs it. Orders are ordering's: a join reserves the
    solitaire's stock and asks ordering to create the order in the same transaction. Calls go
    one way: ordering never calls back into solitaire."""

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
        resale: Resale | None,
        lines: list[LineRequest],
        pickup: Pickup,
        contact: Contact,
        remark: str,
        idempotency_key: str | None,
    ) -> OrderView:
        """Raises ordering's IdempotencyKeyTaken when the customer used the key already."""

    @abc.abstractmethod
    def order_by_idempotency_key(self, *, customer_id: str, key: str) -> OrderView | None: ...

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
    ) -> CartLineView: ...
