"""South ports of store."""

import abc

from contexts.shared.domain.ports import Repository, UnitOfWork
from contexts.store.domain.model import PickupPoint, Store


class StoreRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, store_id: str) -> Store | None:
        """The store, locked for the transaction where the database can."""

    @abc.abstractmethod
    def add(self, store: Store) -> None: ...

    @abc.abstractmethod
    def save(self, store: Store) -> None: ...


class PickupPointRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def default_of(self, store_id: str) -> PickupPoint | None: ...

    @abc.abstractmethod
    def add(self, point: PickupPoint) -> None: ...

    @abc.abstractmethod
    def save(self, point: PickupPoint) -> None: ...


class StoreUnitOfWork(UnitOfWork):
    stores: StoreRepository
    pickup_points: PickupPointRepository


class SmsCodeVerifier(abc.ABC):
    """Identity's SMS codes, as store needs them."""

    @abc.abstractmethod
    def verify(self, *, phone: str, purpose: str, code: str) -> None:
        """Uses the code up, or raises InvalidInput(code="invalid_sms_code")."""
