"""South ports of affiliate: the franchise repository and the unit of work."""

import abc

from contexts.affiliate.domain.model import Franchise
from contexts.shared.domain.ports import Repository, UnitOfWork


class FranchiseRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_store(self, store_id: str, *, for_update: bool = False) -> Franchise | None: ...

    @abc.abstractmethod
    def add(self, franchise: Franchise) -> None: ...

    @abc.abstractmethod
    def save(self, franchise: Franchise) -> None: ...


class AffiliateUnitOfWork(UnitOfWork):
    franchises: FranchiseRepository
