"""South ports of merchant_account: repositories and the unit of work."""

import abc

from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.shared.domain.ports import Repository, UnitOfWork


class MerchantRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_user(self, user_id: str) -> Merchant | None:
        """The user's merchant with its store ids."""

    @abc.abstractmethod
    def by_store(self, store_id: str) -> Merchant | None: ...

    @abc.abstractmethod
    def add(self, merchant: Merchant) -> None: ...

    @abc.abstractmethod
    def save(self, merchant: Merchant) -> None:
        """Writes the stores registered since it was loaded."""


class AccountRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def by_merchant(self, merchant_id: str) -> MerchantAccount | None: ...

    @abc.abstractmethod
    def add(self, account: MerchantAccount) -> None: ...


class MerchantUnitOfWork(UnitOfWork):
    merchants: MerchantRepository
    accounts: AccountRepository
