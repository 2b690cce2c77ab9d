"""merchant_account use cases: one keyword-only function each, framework-free (ports come in
as arguments: bootstrap.py binds them by name, tests hand in fakes)."""

from contexts.merchant_account import contracts
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import MerchantUnitOfWork
from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.ports import Clock


def open_merchant_for_store(
    *, uow: MerchantUnitOfWork, clock: Clock, store_id: str, owner_id: str
) -> contracts.MerchantOpened:
    """A store's creator is its merchant: the first store opens the merchant and its account,
    later stores join the same merchant. Running it again for the same store changes nothing."""
    if not store_id or not owner_id:
        raise InvalidInput("store_id and owner_id are required.")
    with uow:
        current = uow.merchants.by_store(store_id)
        if current is not None:
            if current.user_id != owner_id:
                raise Conflict("This store already belongs to another merchant.")
            uow.commit()
            return contracts.MerchantOpened(merchant_id=current.id, merchant_created=False, store_added=False)
        merchant = uow.merchants.by_user(owner_id)
        created = merchant is None
        if merchant is None:
            merchant = Merchant.open(user_id=owner_id, now=clock.now())
            uow.merchants.add(merchant)
            uow.accounts.add(MerchantAccount.open(merchant_id=merchant.id))
        merchant.register_store(store_id)
        uow.merchants.save(merchant)
        uow.commit()
    return contracts.MerchantOpened(merchant_id=merchant.id, merchant_created=created, store_added=True)
