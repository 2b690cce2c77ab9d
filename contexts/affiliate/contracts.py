"""Published language of affiliate.

Reacts to StoreCreated (payload: store_id, ...): the store's franchise policy exists
afterwards, disabled, 0 bps, billed monthly."""

from dataclasses import dataclass


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
