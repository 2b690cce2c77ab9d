"""Read side of affiliate: ORM -> contracts, one query each."""

from contexts.affiliate.contracts import PolicyView
from contexts.affiliate.models import FranchisePolicy
from contexts.shared.domain.errors import NotFound


def policy_of(store_id: str) -> PolicyView:
    """The store's revenue-share policy; NotFound for a store without one."""
    row = (
        FranchisePolicy.objects.filter(store_id=str(store_id))
        .values("enabled", "commission_bps", "billing_cycle")
        .first()
    )
    if row is None:
        raise NotFound("This store has no franchise policy.")
    return PolicyView(**row)
