"""affiliate's franchise policy use cases with in-memory fakes: no database."""

from dataclasses import replace
from datetime import timedelta

import pytest

from contexts.affiliate import services
from contexts.affiliate.contracts import PolicyView
from contexts.affiliate.domain.model import Franchise, RevenueSharePolicy
from contexts.affiliate.domain.ports import FranchiseRepository
from contexts.shared.domain.errors import InvalidInput, NotFound
from tests.support.fakes import T0, FakeUnitOfWork, FixedClock

STORE = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
OTHER_STORE = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
DEFAULT = PolicyView(enabled=False, commission_bps=0, billing_cycle="monthly")


class FakeFranchises(FranchiseRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Franchise] = {}

    def by_store(self, store_id, *, for_update=False):
        found = self.rows.get(store_id)
        return replace(found) if found else None

    def add(self, franchise):
        assert franchise.store_id not in self.rows
        self.rows[franchise.store_id] = replace(franchise)

    def save(self, franchise):
        self.rows[franchise.store_id] = replace(franchise)


@pytest.fixture
def uow():
    return FakeUnitOfWork(franchises=FakeFranchises())


@pytest.fixture
def clock():
    return FixedClock(T0)


def update(uow, clock, **changes):
    body = {"enabled": True, "commission_bps": 1200, "billing_cycle": "weekly", **changes}
    return services.update_policy(uow=uow, clock=clock, store_id=STORE, **body)


def test_a_new_store_gets_a_disabled_monthly_policy_at_zero_bps(uow, clock):
    # when
    view = services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    # then
    assert view == DEFAULT
    franchise = uow.franchises.rows[STORE]
    assert (franchise.policy, franchise.updated_at) == (RevenueSharePolicy(), T0)


def test_opening_the_franchise_again_keeps_the_policy_as_it_is(uow, clock):
    # given a store whose owner already changed the policy
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    update(uow, clock)
    before = replace(uow.franchises.rows[STORE])
    clock.advance(minutes=1)
    # when the StoreCreated handler runs again
    view = services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    # then
    assert view == PolicyView(enabled=True, commission_bps=1200, billing_cycle="weekly")
    after = uow.franchises.rows[STORE]
    assert (after.id, after.policy, after.updated_at) == (before.id, before.policy, before.updated_at)
    assert list(uow.franchises.rows) == [STORE]


def test_the_owner_changes_the_policy(uow, clock):
    # given
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    clock.advance(minutes=2)
    # when
    view = update(uow, clock, enabled=True, commission_bps=1200, billing_cycle="weekly")
    # then
    assert view == PolicyView(enabled=True, commission_bps=1200, billing_cycle="weekly")
    franchise = uow.franchises.rows[STORE]
    assert franchise.policy == RevenueSharePolicy(enabled=True, commission_bps=1200, billing_cycle="weekly")
    assert franchise.updated_at == T0 + timedelta(minutes=2)


@pytest.mark.parametrize("bps", [0, 5000])
def test_the_rate_bounds_are_accepted(uow, clock, bps):
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    assert update(uow, clock, commission_bps=bps).commission_bps == bps


@pytest.mark.parametrize("cycle", ["daily", "weekly", "monthly"])
def test_every_billing_cycle_is_accepted(uow, clock, cycle):
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    assert update(uow, clock, billing_cycle=cycle).billing_cycle == cycle


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"commission_bps": -1}, "commission_bps"),
        ({"commission_bps": 5001}, "commission_bps"),
        ({"commission_bps": 12.5}, "commission_bps"),
        ({"commission_bps": "10"}, "commission_bps"),
        ({"commission_bps": True}, "commission_bps"),
        ({"billing_cycle": "yearly"}, "billing_cycle"),
        ({"billing_cycle": None}, "billing_cycle"),
        ({"enabled": "true"}, "enabled"),
        ({"enabled": 1}, "enabled"),
    ],
)
def test_a_bad_policy_is_invalid_and_changes_nothing(uow, clock, changes, field):
    # given
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    before = replace(uow.franchises.rows[STORE])
    clock.advance(minutes=1)
    # when
    with pytest.raises(InvalidInput) as caught:
        update(uow, clock, **changes)
    # then
    assert caught.value.code == "invalid"
    assert list(caught.value.fields) == [field]
    after = uow.franchises.rows[STORE]
    assert (after.policy, after.updated_at) == (before.policy, before.updated_at)


def test_every_bad_field_is_reported_at_once(uow, clock):
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    with pytest.raises(InvalidInput) as caught:
        update(uow, clock, enabled=None, commission_bps=9999, billing_cycle="hourly")
    assert sorted(caught.value.fields) == ["billing_cycle", "commission_bps", "enabled"]


def test_a_store_without_a_franchise_is_not_found(uow, clock):
    services.open_franchise(uow=uow, clock=clock, store_id=OTHER_STORE)
    with pytest.raises(NotFound):
        update(uow, clock)
    assert list(uow.franchises.rows) == [OTHER_STORE]


def test_saving_the_same_policy_keeps_its_time(uow, clock):
    # given
    services.open_franchise(uow=uow, clock=clock, store_id=STORE)
    update(uow, clock)
    stamped = uow.franchises.rows[STORE].updated_at
    clock.advance(minutes=1)
    # when
    update(uow, clock)
    # then
    assert uow.franchises.rows[STORE].updated_at == stamped
