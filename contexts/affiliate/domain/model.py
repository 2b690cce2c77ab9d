"""A brand store's franchise: its revenue-share policy and its members (affiliate stores),
and the resales those members make of the brand's solitaires. Pure Python."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.text import N_

MAX_COMMISSION_BPS = 5_000  # an affiliate never takes more than half of an order
FRANCHISE_DISABLED = "franchise_disabled"


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
            raise InvalidInput(N_("The franchise policy is invalid."), fields=fields)


@dataclass(frozen=True)
class Membership:
    """An affiliate store in a brand's franchise, since `joined_at`."""

    member_store_id: str
    joined_at: datetime


@dataclass(eq=False, kw_only=True)
class Resale(AggregateRoot):
    """An affiliate store's listing of a brand's solitaire: orders placed through it earn the
    store the brand's commission for as long as it stays a member of the enabled franchise.
    Made by the brand's Franchise (which knows its members), then on its own."""

    solitaire_id: str
    brand_store_id: str
    store_id: str
    created_at: datetime


@dataclass(eq=False, kw_only=True)
class Franchise(AggregateRoot):
    """One per brand store; every store has one from its creation on, disabled at first."""

    store_id: str
    policy: RevenueSharePolicy
    updated_at: datetime
    members: list[Membership] = field(default_factory=list)

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

    def is_member(self, store_id: str) -> bool:
        return any(m.member_store_id == store_id for m in self.members)

    def add_member(self, store_id: str, *, now: datetime) -> Membership:
        if store_id == self.store_id:
            raise InvalidInput(
                N_("A brand cannot be its own member."),
                fields={"store_id": [N_("A brand cannot be its own member.")]},
            )
        if not self.policy.enabled:
            raise Conflict(N_("The franchise is disabled."), code=FRANCHISE_DISABLED)
        if self.is_member(store_id):
            raise Conflict(N_("This store is already a member of the franchise."))
        membership = Membership(member_store_id=store_id, joined_at=now)
        self.members.append(membership)
        return membership

    def remove_member(self, store_id: str) -> None:
        """Its resales stop taking orders; what it already earned is still paid (by the orders)."""
        if not self.is_member(store_id):
            raise NotFound(N_("This store is not a member of the franchise."))
        self.members = [m for m in self.members if m.member_store_id != store_id]

    def resale(self, *, solitaire_id: str, store_id: str, now: datetime) -> Resale:
        """A new resale of one of the brand's solitaires by a member of the enabled franchise."""
        if store_id == self.store_id:
            raise Conflict(N_("A brand does not resell its own solitaires."), code=FRANCHISE_DISABLED)
        if not self.policy.enabled or not self.is_member(store_id):
            raise Conflict(
                N_("This store is not a member of the brand's franchise."), code=FRANCHISE_DISABLED
            )
        return Resale(
            id=new_id(),
            solitaire_id=solitaire_id,
            brand_store_id=self.store_id,
            store_id=store_id,
            created_at=now,
        )
