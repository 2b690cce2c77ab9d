"""Published language of merchant_account.

Reacts to StoreCreated (payload: store_id, owner_id, ...): the owner's merchant and account
exist afterwards, and the store is recorded under that merchant."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountView:
    """A merchant's balances, all in fen."""

    merchant_id: str
    pending_fen: int
    available_fen: int
    settled_total_fen: int
    commission_total_fen: int

    def as_dict(self) -> dict:
        return {
            "merchant_id": self.merchant_id,
            "pending_fen": self.pending_fen,
            "available_fen": self.available_fen,
            "settled_total_fen": self.settled_total_fen,
            "commission_total_fen": self.commission_total_fen,
        }


@dataclass(frozen=True)
class MerchantOpened:
    """What open_merchant_for_store did: the merchant of the store and what was new."""

    merchant_id: str
    merchant_created: bool
    store_added: bool
