"""merchant_account reacts to StoreCreated on the real database: one merchant per user, one
account per merchant, one row per store, however often the event arrives."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import TestCase

from contexts.merchant_account import queries, tasks
from contexts.merchant_account.contracts import AccountView
from contexts.merchant_account.models import Merchant, MerchantAccount, MerchantStore
from contexts.shared import eventbus
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery

pytestmark = pytest.mark.django_db

HANDLER = "contexts.merchant_account.tasks.on_store_created"


def store_created(store_id: str, owner_id: str) -> DomainEvent:
    return DomainEvent(
        event_type="StoreCreated",
        aggregate_type="Store",
        aggregate_id=store_id,
        payload={
            "store_id": store_id,
            "owner_id": owner_id,
            "name": "Corner shop",
            "phone": "13800000001",
            "door_image_url": "",
            "created_at": "2025-03-01T08:00:00+08:00",
        },
    )


def publish(event: DomainEvent) -> None:
    """Commit the event to the outbox and relay it, as the store's use case would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()


def new_uuid() -> str:
    return str(uuid.uuid4())


def test_a_users_first_store_gives_them_a_merchant_and_an_empty_account():
    # given
    owner, store = new_uuid(), new_uuid()
    # when
    publish(store_created(store, owner))
    # then
    merchant = Merchant.objects.get()
    assert str(merchant.user_id) == owner
    assert [str(s) for s in MerchantStore.objects.values_list("store_id", flat=True)] == [store]
    assert queries.account_of_user(owner) == AccountView(
        merchant_id=str(merchant.pk),
        pending_fen=0,
        available_fen=0,
        settled_total_fen=0,
        commission_total_fen=0,
    )
    assert queries.merchant_of_store(store) == str(merchant.pk)
    assert queries.merchant_of_user(owner) == str(merchant.pk)
    assert EventDelivery.objects.get(handler=HANDLER).status == "done"


def test_the_same_event_delivered_twice_has_one_merchant_account_and_store_row():
    # given
    owner, store = new_uuid(), new_uuid()
    event = store_created(store, owner)
    publish(event)
    # when the machinery delivers it again, and when the handler itself runs again
    # (as after a crash between its effect and the 'done' mark)
    with TestCase.captureOnCommitCallbacks(execute=True):
        eventbus.relay([event.event_id])
    assert eventbus.deliver(event_id=event.event_id, handler=HANDLER) == "done"
    tasks.on_store_created(event)
    # then
    assert Merchant.objects.count() == 1
    assert MerchantAccount.objects.count() == 1
    assert MerchantStore.objects.count() == 1


def test_a_second_event_for_the_same_store_changes_nothing():
    # given
    owner, store = new_uuid(), new_uuid()
    publish(store_created(store, owner))
    # when a different event about the same store arrives
    publish(store_created(store, owner))
    # then
    assert (Merchant.objects.count(), MerchantAccount.objects.count(), MerchantStore.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_users_second_store_joins_the_same_merchant():
    # given
    owner, first_store, second_store = new_uuid(), new_uuid(), new_uuid()
    publish(store_created(first_store, owner))
    merchant_id = queries.merchant_of_user(owner)
    # when
    publish(store_created(second_store, owner))
    # then
    assert Merchant.objects.count() == 1
    assert MerchantAccount.objects.count() == 1
    assert queries.stores_of_merchant(merchant_id) == [first_store, second_store]
    assert queries.merchant_of_store(second_store) == merchant_id


def test_two_users_get_two_merchants():
    # given
    alice, bob = new_uuid(), new_uuid()
    alice_store, bob_store = new_uuid(), new_uuid()
    # when
    publish(store_created(alice_store, alice))
    publish(store_created(bob_store, bob))
    # then
    assert queries.merchant_of_store(alice_store) == queries.merchant_of_user(alice)
    assert queries.merchant_of_store(bob_store) == queries.merchant_of_user(bob)
    assert queries.merchant_of_user(alice) != queries.merchant_of_user(bob)
    assert MerchantAccount.objects.count() == 2


@pytest.mark.parametrize("user_id", [None, "", "not-a-uuid", "11111111-1111-4111-8111-111111111111"])
def test_a_user_without_a_merchant_has_no_account(user_id):
    with pytest.raises(NotFound):
        queries.account_of_user(user_id)
    assert queries.merchant_of_user(user_id) is None


@pytest.mark.parametrize("store_id", ["", "not-a-uuid", "11111111-1111-4111-8111-111111111111"])
def test_an_unknown_store_has_no_merchant(store_id):
    assert queries.merchant_of_store(store_id) is None
    assert queries.stores_of_merchant(store_id) == []


def test_the_database_refuses_a_negative_balance():
    # given
    owner = new_uuid()
    publish(store_created(new_uuid(), owner))
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        MerchantAccount.objects.update(available_fen=-1)
    assert MerchantAccount.objects.get().available_fen == 0
