"""South ports of affiliate: the franchise and resale repositories and the unit of work."""

import abc

from contexts.affiliate.domain.model import Franchise, Resale
from contexts.shared.domain.ports import Repository, UnitOfWork


class FranchiseRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_store(self, store_id: str, *, for_update: bool = False) -> Franchise | None:
        """The franchise with its members; for_update locks it until the use case ends, so
        two changes of one franchise's members run one after the other."""

    @abc.abstractmethod
    def add(self, franchise: Franchise) -> None: ...

    @abc.abstractmethod
    def save(self, franchise: Franchise) -> None:
        """The policy and the members as they are now. A member that another use case added
        meanwhile (its twin) is Conflict `invalid_state`."""


class ResaleRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def of_solitaire_and_store(self, *, solitaire_id: str, store_id: str) -> Resale | None: ...

    @abc.abstractmethod
    def add(self, resale: Resale) -> bool:
        """False (and nothing stored) when the store already resells that solitaire."""


class AffiliateUnitOfWork(UnitOfWork):
    franchises: FranchiseRepository
    resales: ResaleRepository
