"""South ports of store."""

import abc

from contexts.shared.domain.ports import Clock, UnitOfWork  # noqa: F401  (re-exported for services)
from contexts.store.domain.model import PickupPoint, Store


class StoreRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, store_id: str) -> Store | None:
        """The store, locked for the transaction where the database can."""

    @abc.abstractmethod
    def add(self, store: Store) -> None: ...

    @abc.abstractmethod
    def save(self, store: Store) -> None: ...


class PickupPointRepository(abc.ABC):
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


class StoreAccess(abc.ABC):
    """Staff's authorization, as store needs it."""

    @abc.abstractmethod
    def authorize(self, *, user_id: str, store_id: str, operation: str) -> str:
        """The caller's role in the store, or PermissionDenied."""
