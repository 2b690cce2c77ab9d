"""Published language of affiliate.

Reacts to StoreCreated (payload: store_id, ...): the store's franchise policy exists
afterwards, disabled, 0 bps, billed monthly.

Publishes no events: a membership or a resale concerns no other context until an order is
placed through the resale, and then the order carries the terms (ResaleTerms) itself."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PolicyView:
    """A brand store's revenue-share policy; billing_cycle is "daily", "weekly" or "monthly"."""

    enabled: bool
    commission_bps: int
    billing_cycle: str

    def as_dict(self) -> dict:
        return {
            "enabled": self.enabled,
            "commission_bps": self.commission_bps,
            "billing_cycle": self.billing_cycle,
        }


@dataclass(frozen=True)
class MemberView:
    """An affiliate store of a brand's franchise."""

    store_id: str
    store_name: str
    joined_at: datetime


@dataclass(frozen=True)
class ResaleView:
    """An affiliate store's (`store_id`) resale of a brand's (`brand_store_id`) solitaire."""

    id: str
    solitaire_id: str
    brand_store_id: str
    store_id: str
    created_at: datetime


@dataclass(frozen=True)
class ResaleTerms:
    """What an order placed through a resale now is owed: the brand's commission rate and
    billing cycle in force at this moment, for the affiliate store."""

    resale_id: str
    solitaire_id: str
    brand_store_id: str
    affiliate_store_id: str
    commission_bps: int
    billing_cycle: str
