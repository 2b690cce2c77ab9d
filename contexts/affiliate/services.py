"""affiliate use cases: one keyword-only function each, framework-free (ports come in as
arguments: bootstrap.py binds them by name, tests hand in fakes).

Who may call them is decided before (the bff asks staff: "franchise.edit" for the policy and
the members, "resale.create" on the affiliate store for a resale)."""

from contexts.affiliate import contracts
from contexts.affiliate.domain.model import FRANCHISE_DISABLED, Franchise, Resale, RevenueSharePolicy
from contexts.affiliate.domain.ports import AffiliateUnitOfWork
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock, StoreDirectory
from contexts.shared.domain.text import N_


def _view(franchise: Franchise) -> contracts.PolicyView:
    policy = franchise.policy
    return contracts.PolicyView(
        enabled=policy.enabled, commission_bps=policy.commission_bps, billing_cycle=policy.billing_cycle
    )


def _resale_view(resale: Resale) -> contracts.ResaleView:
    return contracts.ResaleView(
        id=resale.id,
        solitaire_id=resale.solitaire_id,
        brand_store_id=resale.brand_store_id,
        store_id=resale.store_id,
        created_at=resale.created_at,
    )


def _franchise_of(uow: AffiliateUnitOfWork, store_id: str) -> Franchise:
    franchise = uow.franchises.by_store(store_id, for_update=True)
    if franchise is None:
        raise NotFound(N_("This store has no franchise policy."))
    return franchise


def open_franchise(*, uow: AffiliateUnitOfWork, clock: Clock, store_id: str) -> contracts.PolicyView:
    """Give a new store its default policy (disabled); a store that has one keeps it as it is."""
    if not store_id:
        raise InvalidInput(N_("store_id is required."))
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
        franchise = _franchise_of(uow, store_id)
        if franchise.change_policy(policy, now=clock.now()):
            uow.franchises.save(franchise)
        uow.commit()
    return _view(franchise)


def add_member(
    *,
    uow: AffiliateUnitOfWork,
    stores: StoreDirectory,
    clock: Clock,
    brand_store_id: str,
    member_store_id: str,
) -> contracts.MemberView:
    """The store joins the brand's franchise. InvalidInput (fields: store_id) for the brand
    itself; NotFound for an unknown store; Conflict `franchise_disabled` while the franchise is
    disabled, `invalid_state` for a store that is a member already."""
    stores.require(member_store_id)
    with uow:
        franchise = _franchise_of(uow, brand_store_id)
        membership = franchise.add_member(member_store_id, now=clock.now())
        uow.franchises.save(franchise)
        uow.commit()
    name = stores.names([member_store_id]).get(member_store_id, "")
    return contracts.MemberView(store_id=member_store_id, store_name=name, joined_at=membership.joined_at)


def remove_member(*, uow: AffiliateUnitOfWork, brand_store_id: str, member_store_id: str) -> None:
    """The store leaves the brand's franchise; NotFound when it is not a member. Its resales
    stay (their orders keep their commission) but take no new orders."""
    with uow:
        franchise = _franchise_of(uow, brand_store_id)
        franchise.remove_member(member_store_id)
        uow.franchises.save(franchise)
        uow.commit()


def create_resale(
    *, uow: AffiliateUnitOfWork, clock: Clock, solitaire_id: str, brand_store_id: str, store_id: str
) -> tuple[contracts.ResaleView, bool]:
    """The store resells the brand's solitaire: (the resale, True) when new, (the existing one,
    False) when the store already resells it. Conflict `franchise_disabled` unless the store is
    a member of the brand's enabled franchise (the brand itself never is)."""
    with uow:
        franchise = uow.franchises.by_store(brand_store_id, for_update=True)
        if franchise is None:
            raise Conflict(N_("The brand has no franchise."), code=FRANCHISE_DISABLED)
        # The rules first: a store that left the franchise gets no resale, not even its old one.
        fresh = franchise.resale(solitaire_id=solitaire_id, store_id=store_id, now=clock.now())
        resale = uow.resales.of_solitaire_and_store(solitaire_id=solitaire_id, store_id=store_id)
        created = False
        if resale is None:
            created = uow.resales.add(fresh)
            # Not added: a twin request stored it in the meantime, and that one is the resale.
            resale = (
                fresh
                if created
                else uow.resales.of_solitaire_and_store(solitaire_id=solitaire_id, store_id=store_id)
            )
        uow.commit()
    return _resale_view(resale), created
