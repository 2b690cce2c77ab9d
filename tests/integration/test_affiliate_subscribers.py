"""affiliate reacts to StoreCreated on the real database: one default policy per store,
however often the event arrives; the policy survives a late repeat."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import TestCase

from contexts.affiliate import bootstrap, queries, tasks
from contexts.affiliate.contracts import PolicyView
from contexts.affiliate.models import FranchisePolicy
from contexts.shared import eventbus
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery

pytestmark = pytest.mark.django_db

HANDLER = "contexts.affiliate.tasks.on_store_created"
DEFAULT = PolicyView(enabled=False, commission_bps=0, billing_cycle="monthly")


def store_created(store_id: str) -> DomainEvent:
    return DomainEvent(
        event_type="StoreCreated",
        aggregate_type="Store",
        aggregate_id=store_id,
        payload={
            "store_id": store_id,
            "owner_id": str(uuid.uuid4()),
            "name": "Brand shop",
            "phone": "13800000002",
            "door_image_url": "",
            "created_at": "2025-03-01T08:00:00+08:00",
        },
    )


def publish(event: DomainEvent) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        with DjangoUnitOfWork() as uow:
            uow.publish(event)
            uow.commit()


def test_a_new_store_gets_the_default_policy():
    # given
    store = str(uuid.uuid4())
    # when
    publish(store_created(store))
    # then
    assert queries.policy_of(store) == DEFAULT
    assert EventDelivery.objects.get(handler=HANDLER).status == "done"


def test_the_same_event_delivered_twice_gives_one_policy():
    # given
    store = str(uuid.uuid4())
    event = store_created(store)
    publish(event)
    # when
    with TestCase.captureOnCommitCallbacks(execute=True):
        eventbus.relay([event.event_id])
    assert eventbus.deliver(event_id=event.event_id, handler=HANDLER) == "done"
    tasks.on_store_created(event)
    # then
    assert FranchisePolicy.objects.filter(store_id=store).count() == 1


def test_a_late_repeat_keeps_the_owners_policy():
    # given a policy the owner already changed
    store = str(uuid.uuid4())
    event = store_created(store)
    publish(event)
    bootstrap.update_policy(store_id=store, enabled=True, commission_bps=800, billing_cycle="daily")
    stamped = FranchisePolicy.objects.get(store_id=store).updated_at
    # when the handler runs again
    tasks.on_store_created(event)
    # then
    assert queries.policy_of(store) == PolicyView(enabled=True, commission_bps=800, billing_cycle="daily")
    assert FranchisePolicy.objects.get(store_id=store).updated_at == stamped


def test_an_update_is_stored():
    # given
    store = str(uuid.uuid4())
    publish(store_created(store))
    # when
    view = bootstrap.update_policy(store_id=store, enabled=True, commission_bps=5000, billing_cycle="weekly")
    # then
    assert view == PolicyView(enabled=True, commission_bps=5000, billing_cycle="weekly")
    row = FranchisePolicy.objects.get(store_id=store)
    assert (row.enabled, row.commission_bps, row.billing_cycle) == (True, 5000, "weekly")


@pytest.mark.parametrize("store_id", ["", "not-a-uuid", "11111111-1111-4111-8111-111111111111"])
def test_a_store_without_a_policy_is_not_found(store_id):
    with pytest.raises(NotFound):
        queries.policy_of(store_id)


@pytest.mark.parametrize(
    "values", [{"commission_bps": 5001}, {"commission_bps": -1}, {"billing_cycle": "yearly"}]
)
def test_the_database_refuses_a_policy_out_of_bounds(values):
    # given
    store = str(uuid.uuid4())
    publish(store_created(store))
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        FranchisePolicy.objects.filter(store_id=store).update(**values)
    assert queries.policy_of(store) == DEFAULT
