"""affiliate's members and resales: the Franchise aggregate's rules and the use cases, with
in-memory fakes (no database)."""

from copy import deepcopy
from datetime import timedelta

import pytest

from contexts.affiliate import services
from contexts.affiliate.contracts import MemberView, ResaleView
from contexts.affiliate.domain.model import Franchise, Membership, Resale, RevenueSharePolicy
from contexts.affiliate.domain.ports import FranchiseRepository, ResaleRepository
from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from tests.support.fakes import T0, FakeStoreDirectory, FakeUnitOfWork, FixedClock

BRAND, SHOP, OTHER, MISSING = "brand", "shop", "other", "missing"
SOLITAIRE = "solitaire-1"
ENABLED = RevenueSharePolicy(enabled=True, commission_bps=1000, billing_cycle="weekly")


class FakeFranchises(FranchiseRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Franchise] = {}

    def by_store(self, store_id, *, for_update=False):
        found = self.rows.get(store_id)
        return deepcopy(found) if found else None

    def add(self, franchise):
        self.rows[franchise.store_id] = deepcopy(franchise)

    def save(self, franchise):
        self.rows[franchise.store_id] = deepcopy(franchise)


class FakeResales(ResaleRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Resale] = {}

    def of_solitaire_and_store(self, *, solitaire_id, store_id):
        found = self.rows.get((solitaire_id, store_id))
        return deepcopy(found) if found else None

    def add(self, resale):
        key = (resale.solitaire_id, resale.store_id)
        if key in self.rows:
            return False
        self.rows[key] = deepcopy(resale)
        return True


class RacingResales(FakeResales):
    """A twin request stores its resale between our look-up and our insert."""

    def __init__(self, twin: Resale) -> None:
        super().__init__()
        self.twin = twin

    def add(self, resale):
        self.rows[(self.twin.solitaire_id, self.twin.store_id)] = deepcopy(self.twin)
        return super().add(resale)


@pytest.fixture
def clock():
    return FixedClock(T0)


@pytest.fixture
def stores():
    directory = FakeStoreDirectory()
    for store_id, name in [(BRAND, "Brand shop"), (SHOP, "Affiliate shop"), (OTHER, "Other shop")]:
        directory.add(store_id, name=name)
    return directory


def world(policy: RevenueSharePolicy = ENABLED, members=(), resales=None) -> FakeUnitOfWork:
    franchises = FakeFranchises()
    franchise = Franchise.open(store_id=BRAND, now=T0)
    franchise.change_policy(policy, now=T0)
    franchise.members = [Membership(member_store_id=m, joined_at=T0) for m in members]
    franchises.add(franchise)
    return FakeUnitOfWork(franchises=franchises, resales=resales or FakeResales())


def members(uow) -> list[str]:
    return [m.member_store_id for m in uow.franchises.rows[BRAND].members]


def add(uow, stores, clock, member=SHOP, brand=BRAND):
    return services.add_member(
        uow=uow, stores=stores, clock=clock, brand_store_id=brand, member_store_id=member
    )


def resell(uow, clock, store=SHOP, solitaire=SOLITAIRE):
    return services.create_resale(
        uow=uow, clock=clock, solitaire_id=solitaire, brand_store_id=BRAND, store_id=store
    )


# ---- members ---------------------------------------------------------------------------------
def test_a_store_joins_an_enabled_franchise(stores, clock):
    # given
    uow = world()
    clock.advance(minutes=3)
    # when
    view = add(uow, stores, clock)
    # then
    assert view == MemberView(store_id=SHOP, store_name="Affiliate shop", joined_at=T0 + timedelta(minutes=3))
    assert uow.franchises.rows[BRAND].members == [
        Membership(member_store_id=SHOP, joined_at=T0 + timedelta(minutes=3))
    ]
    assert uow.commits == 1


def test_members_keep_the_order_they_joined_in(stores, clock):
    uow = world(members=[OTHER])
    add(uow, stores, clock, member=SHOP)
    assert members(uow) == [OTHER, SHOP]


def test_a_brand_is_never_its_own_member(stores, clock):
    # given
    uow = world()
    # when
    with pytest.raises(InvalidInput) as caught:
        add(uow, stores, clock, member=BRAND)
    # then
    assert caught.value.code == "invalid"
    assert list(caught.value.fields) == ["store_id"]
    assert members(uow) == []


def test_a_store_joins_a_disabled_franchise_never(stores, clock):
    uow = world(policy=RevenueSharePolicy(enabled=False, commission_bps=1000))
    with pytest.raises(Conflict) as caught:
        add(uow, stores, clock)
    assert caught.value.code == "franchise_disabled"
    assert members(uow) == []


def test_a_store_is_a_member_at_most_once(stores, clock):
    # given
    uow = world(members=[SHOP])
    before = deepcopy(uow.franchises.rows[BRAND].members)
    clock.advance(minutes=1)
    # when
    with pytest.raises(Conflict) as caught:
        add(uow, stores, clock)
    # then
    assert caught.value.code == "invalid_state"
    assert uow.franchises.rows[BRAND].members == before


def test_an_unknown_store_cannot_join(stores, clock):
    uow = world()
    with pytest.raises(NotFound):
        add(uow, stores, clock, member=MISSING)
    assert members(uow) == []


def test_a_store_without_a_franchise_has_no_members_to_add(stores, clock):
    uow = world()
    with pytest.raises(NotFound):
        add(uow, stores, clock, member=SHOP, brand=OTHER)
    assert list(uow.franchises.rows) == [BRAND]


def test_a_member_is_removed(clock):
    uow = world(members=[SHOP, OTHER])
    services.remove_member(uow=uow, brand_store_id=BRAND, member_store_id=SHOP)
    assert members(uow) == [OTHER]


def test_a_member_is_removed_from_a_disabled_franchise_too(clock):
    uow = world(policy=RevenueSharePolicy(), members=[SHOP])
    services.remove_member(uow=uow, brand_store_id=BRAND, member_store_id=SHOP)
    assert members(uow) == []


def test_removing_a_store_that_is_not_a_member_is_not_found(clock):
    uow = world(members=[OTHER])
    with pytest.raises(NotFound):
        services.remove_member(uow=uow, brand_store_id=BRAND, member_store_id=SHOP)
    assert members(uow) == [OTHER]


def test_a_policy_change_keeps_the_members(clock):
    uow = world(members=[SHOP])
    services.update_policy(
        uow=uow, clock=clock, store_id=BRAND, enabled=False, commission_bps=0, billing_cycle="daily"
    )
    assert members(uow) == [SHOP]


# ---- resales ---------------------------------------------------------------------------------
def test_a_member_resells_a_solitaire_of_the_brand(clock):
    # given
    uow = world(members=[SHOP])
    # when
    view, created = resell(uow, clock)
    # then
    assert created is True
    assert view == ResaleView(
        id=view.id, solitaire_id=SOLITAIRE, brand_store_id=BRAND, store_id=SHOP, created_at=T0
    )
    assert list(uow.resales.rows) == [(SOLITAIRE, SHOP)]


def test_asking_again_returns_the_same_resale(clock):
    # given
    uow = world(members=[SHOP])
    first, _ = resell(uow, clock)
    clock.advance(hours=1)
    # when
    again, created = resell(uow, clock)
    # then
    assert (again, created) == (first, False)
    assert len(uow.resales.rows) == 1


def test_a_twin_stored_meanwhile_is_the_resale(clock):
    # given a twin request that stores its resale between our look-up and our insert
    twin = Resale(id="twin", solitaire_id=SOLITAIRE, brand_store_id=BRAND, store_id=SHOP, created_at=T0)
    uow = world(members=[SHOP], resales=RacingResales(twin))
    # when
    view, created = resell(uow, clock)
    # then
    assert (view.id, created) == ("twin", False)
    assert [r.id for r in uow.resales.rows.values()] == ["twin"]


@pytest.mark.parametrize(
    ("policy", "member_ids", "store"),
    [
        (ENABLED, [OTHER], SHOP),  # not a member
        (RevenueSharePolicy(enabled=False, commission_bps=1000), [SHOP], SHOP),  # disabled
        (ENABLED, [SHOP], BRAND),  # the brand itself
    ],
    ids=["not_a_member", "disabled", "the_brand"],
)
def test_a_resale_needs_a_member_of_the_enabled_franchise(clock, policy, member_ids, store):
    uow = world(policy=policy, members=member_ids)
    with pytest.raises(Conflict) as caught:
        resell(uow, clock, store=store)
    assert caught.value.code == "franchise_disabled"
    assert uow.resales.rows == {}


def test_a_store_that_left_gets_not_even_its_old_resale(clock):
    # given a resale, then the store leaves
    uow = world(members=[SHOP])
    resell(uow, clock)
    services.remove_member(uow=uow, brand_store_id=BRAND, member_store_id=SHOP)
    # when / then
    with pytest.raises(Conflict) as caught:
        resell(uow, clock)
    assert caught.value.code == "franchise_disabled"
    assert len(uow.resales.rows) == 1


def test_a_brand_without_a_franchise_has_nothing_to_resell(clock):
    uow = FakeUnitOfWork(franchises=FakeFranchises(), resales=FakeResales())
    with pytest.raises(Conflict) as caught:
        resell(uow, clock)
    assert caught.value.code == "franchise_disabled"
    assert uow.resales.rows == {}
