"""A brand store's franchise and its revenue-share policy. Pure Python.

Affiliate stores (members) and their resales join this aggregate's context later; the
policy is what they will be paid by."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, new_id

MAX_COMMISSION_BPS = 5_000  # an affiliate never takes more than half of an order


class BillingCycle(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


BILLING_CYCLES = tuple(cycle.value for cycle in BillingCycle)


@dataclass(frozen=True)
class RevenueSharePolicy:
    """Whether affiliates may resell the brand's solitaires, the commission they earn on an
    order line (basis points) and how often commissions are settled."""

    enabled: bool = False
    commission_bps: int = 0
    billing_cycle: str = BillingCycle.MONTHLY.value

    def __post_init__(self) -> None:
        fields: dict[str, list[str]] = {}
        if not isinstance(self.enabled, bool):
            fields["enabled"] = ["Must be a boolean."]
        bps = self.commission_bps
        if isinstance(bps, bool) or not isinstance(bps, int):
            fields["commission_bps"] = ["Must be an integer."]
        elif not 0 <= bps <= MAX_COMMISSION_BPS:
            fields["commission_bps"] = [f"Must be between 0 and {MAX_COMMISSION_BPS}."]
        if not isinstance(self.billing_cycle, str) or self.billing_cycle not in BILLING_CYCLES:
            fields["billing_cycle"] = [f"Must be one of: {', '.join(BILLING_CYCLES)}."]
        if fields:
            raise InvalidInput("The franchise policy is invalid.", fields=fields)


@dataclass(eq=False, kw_only=True)
class Franchise(AggregateRoot):
    """One per brand store; every store has one from its creation on, disabled at first."""

    store_id: str
    policy: RevenueSharePolicy
    updated_at: datetime

    @classmethod
    def open(cls, *, store_id: str, now: datetime) -> "Franchise":
        if not store_id:
            raise ValueError("a franchise belongs to a store")
        return cls(id=new_id(), store_id=store_id, policy=RevenueSharePolicy(), updated_at=now)

    def change_policy(self, policy: RevenueSharePolicy, *, now: datetime) -> bool:
        """False when nothing changed (updated_at then stays as it was)."""
        if policy == self.policy:
            return False
        self.policy = policy
        self.updated_at = now
        return True
