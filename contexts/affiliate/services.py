"""affiliate use cases: one keyword-only function each, framework-free (ports come in as
arguments: bootstrap.py binds them by name, tests hand in fakes).

Who may call them is decided before (the bff asks staff: "franchise.edit" for update_policy)."""

from contexts.affiliate import contracts
from contexts.affiliate.domain.model import Franchise, RevenueSharePolicy
from contexts.affiliate.domain.ports import AffiliateUnitOfWork
from contexts.shared.domain.errors import InvalidInput, NotFound
from contexts.shared.domain.ports import Clock


def _view(franchise: Franchise) -> contracts.PolicyView:
    policy = franchise.policy
    return contracts.PolicyView(
        enabled=policy.enabled, commission_bps=policy.commission_bps, billing_cycle=policy.billing_cycle
    )


def open_franchise(*, uow: AffiliateUnitOfWork, clock: Clock, store_id: str) -> contracts.PolicyView:
    """Give a new store its default policy (disabled); a store that has one keeps it as it is."""
    if not store_id:
        raise InvalidInput("store_id is required.")
    with uow:
        franchise = uow.franchises.by_store(store_id, for_update=True)
        if franchise is None:
            franchise = Franchise.open(store_id=store_id, now=clock.now())
            uow.franchises.add(franchise)
        uow.commit()
    return _view(franchise)


def update_policy(
    *,
    uow: AffiliateUnitOfWork,
    clock: Clock,
    store_id: str,
    enabled: bool,
    commission_bps: int,
    billing_cycle: str,
) -> contracts.PolicyView:
    """Replace the store's policy as a whole. InvalidInput (with fields) for a rate outside
    0..5000 bps or an unknown billing cycle; NotFound for a store without a franchise."""
    policy = RevenueSharePolicy(enabled=enabled, commission_bps=commission_bps, billing_cycle=billing_cycle)
    with uow:
        franchise = uow.franchises.by_store(store_id, for_update=True)
        if franchise is None:
            raise NotFound("This store has no franchise policy.")
        if franchise.change_policy(policy, now=clock.now()):
            uow.franchises.save(franchise)
        uow.commit()
    return _view(franchise)
