"""merchant_account's use cases with in-memory fakes: no database."""

from dataclasses import replace

import pytest

from contexts.merchant_account import services
from contexts.merchant_account.contracts import MerchantOpened
from contexts.merchant_account.domain.model import Merchant, MerchantAccount
from contexts.merchant_account.domain.ports import AccountRepository, MerchantRepository
from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.values import Money
from tests.support.fakes import T0, FakeUnitOfWork, FixedClock

ALICE = "11111111-1111-4111-8111-111111111111"
BOB = "22222222-2222-4222-8222-222222222222"
STORE_1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
STORE_2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"


class FakeMerchants(MerchantRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Merchant] = {}

    def by_user(self, user_id):
        found = next((m for m in self.rows.values() if m.user_id == user_id), None)
        return replace(found, store_ids=list(found.store_ids)) if found else None

    def by_store(self, store_id):
        found = next((m for m in self.rows.values() if store_id in m.store_ids), None)
        return replace(found, store_ids=list(found.store_ids)) if found else None

    def add(self, merchant):
        assert merchant.id not in self.rows
        self.rows[merchant.id] = replace(merchant, store_ids=list(merchant.store_ids))

    def save(self, merchant):
        self.rows[merchant.id] = replace(merchant, store_ids=list(merchant.store_ids))


class FakeAccounts(AccountRepository):
    def __init__(self) -> None:
        self.rows: dict[str, MerchantAccount] = {}

    def by_merchant(self, merchant_id):
        return self.rows.get(merchant_id)

    def add(self, account):
        assert account.merchant_id not in self.rows
        self.rows[account.merchant_id] = account


def fake_uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(merchants=FakeMerchants(), accounts=FakeAccounts())


def open_for(uow, store_id, owner_id) -> MerchantOpened:
    return services.open_merchant_for_store(
        uow=uow, clock=FixedClock(T0), store_id=store_id, owner_id=owner_id
    )


def test_a_users_first_store_opens_a_merchant_with_an_empty_account():
    # given
    uow = fake_uow()
    # when
    result = open_for(uow, STORE_1, ALICE)
    # then
    assert (result.merchant_created, result.store_added) == (True, True)
    merchant = uow.merchants.rows[result.merchant_id]
    assert (merchant.user_id, merchant.store_ids, merchant.created_at) == (ALICE, [STORE_1], T0)
    account = uow.accounts.rows[result.merchant_id]
    assert (account.pending, account.available, account.settled_total, account.commission_total) == (
        Money(0),
        Money(0),
        Money(0),
        Money(0),
    )
    assert uow.commits == 1


def test_a_users_second_store_joins_the_same_merchant():
    # given
    uow = fake_uow()
    first = open_for(uow, STORE_1, ALICE)
    # when
    second = open_for(uow, STORE_2, ALICE)
    # then
    assert second == MerchantOpened(merchant_id=first.merchant_id, merchant_created=False, store_added=True)
    assert list(uow.merchants.rows) == [first.merchant_id]
    assert uow.merchants.rows[first.merchant_id].store_ids == [STORE_1, STORE_2]
    assert list(uow.accounts.rows) == [first.merchant_id]


def test_the_same_store_twice_changes_nothing():
    # given
    uow = fake_uow()
    first = open_for(uow, STORE_1, ALICE)
    # when
    again = open_for(uow, STORE_1, ALICE)
    # then
    assert again == MerchantOpened(merchant_id=first.merchant_id, merchant_created=False, store_added=False)
    assert len(uow.merchants.rows) == 1
    assert uow.merchants.rows[first.merchant_id].store_ids == [STORE_1]
    assert len(uow.accounts.rows) == 1


def test_different_users_get_different_merchants():
    # given
    uow = fake_uow()
    # when
    alice = open_for(uow, STORE_1, ALICE)
    bob = open_for(uow, STORE_2, BOB)
    # then
    assert alice.merchant_id != bob.merchant_id
    assert {m.user_id: m.store_ids for m in uow.merchants.rows.values()} == {ALICE: [STORE_1], BOB: [STORE_2]}
    assert len(uow.accounts.rows) == 2


def test_a_store_already_under_another_merchant_is_refused():
    # given
    uow = fake_uow()
    open_for(uow, STORE_1, ALICE)
    # when / then
    with pytest.raises(Conflict):
        open_for(uow, STORE_1, BOB)
    assert [m.user_id for m in uow.merchants.rows.values()] == [ALICE]


@pytest.mark.parametrize(("store_id", "owner_id"), [("", ALICE), (STORE_1, "")])
def test_a_store_or_owner_missing_is_invalid(store_id, owner_id):
    uow = fake_uow()
    with pytest.raises(InvalidInput):
        open_for(uow, store_id, owner_id)
    assert uow.merchants.rows == {}


def test_an_account_never_holds_a_negative_balance():
    with pytest.raises(ValueError, match="available"):
        MerchantAccount(id="a", merchant_id="m", available=Money(-1))


def test_registering_a_store_twice_reports_it_was_known():
    # given
    merchant = Merchant.open(user_id=ALICE, now=T0)
    # when
    first, second = merchant.register_store(STORE_1), merchant.register_store(STORE_1)
    # then
    assert (first, second, merchant.store_ids) == (True, False, [STORE_1])
