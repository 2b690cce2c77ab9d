"""Creating a store on the real database: the store, its default point and StoreCreated commit
together, and the reactions of store (door image) and staff (owner) happen once however often
the event arrives."""

import uuid

import pytest
from django.test import TestCase

from contexts.shared import eventbus
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.domain.errors import InvalidInput, NotFound
from contexts.shared.domain.events import DomainEvent
from contexts.shared.models import EventDelivery, OutboxEvent
from contexts.staff import queries as staff_queries
from contexts.staff import tasks as staff_tasks
from contexts.staff.models import StoreMember
from contexts.store import queries, services
from contexts.store import tasks as store_tasks
from contexts.store.adapters.orm import DjangoStoreUow
from contexts.store.models import PickupPoint, Store
from tests.support.store import FakeSms

pytestmark = pytest.mark.django_db

DOOR_HANDLER = "contexts.store.tasks.apply_default_door_image"
OWNER_HANDLER = "contexts.staff.tasks.make_creator_owner"
ADDRESS = {"province": "浙江省", "city": "杭州市", "district": "西湖区", "detail": "文三路 100 号"}


def create_store(owner_id: str, sms_code: str = "111111", relay: bool = True, **kw):
    """The use case on the real unit of work; its commit relays the events inline (unless not `relay`)."""
    with TestCase.captureOnCommitCallbacks(execute=relay):
        return services.create_store(
            uow=DjangoStoreUow(),
            sms=FakeSms("111111"),
            clock=DjangoClock(),
            owner_id=owner_id,
            name="西湖小铺",
            phone="13700000001",
            sms_code=sms_code,
            address=ADDRESS,
            **kw,
        )


def store_created_event() -> DomainEvent:
    return eventbus.to_event(OutboxEvent.objects.get(event_type="StoreCreated"))


def test_a_new_store_has_its_owner_default_point_and_default_door_image(settings):
    # given
    owner = str(uuid.uuid4())
    # when
    created = create_store(owner)
    # then
    row = Store.objects.get()
    assert (row.pk, row.owner_id, row.door_image_url) == (created.id, owner, settings.DEFAULT_DOOR_IMAGE_URL)
    assert list(PickupPoint.objects.values_list("name", "detail", "is_default")) == [
        ("西湖小铺", "文三路 100 号", True)
    ]
    assert staff_queries.store_ids_of(owner) == {created.id: "owner"}
    assert StoreMember.objects.get().joined_at == row.created_at
    assert set(
        EventDelivery.objects.filter(event__event_type="StoreCreated").values_list("handler", "status")
    ) >= {
        (DOOR_HANDLER, "done"),
        (OWNER_HANDLER, "done"),
    }
    assert store_created_event().payload["created_at"].endswith("+08:00")


def test_the_creator_owns_the_store_inside_its_transaction_before_any_relay():
    # given
    owner = str(uuid.uuid4())
    # when: the store is created and nothing runs after the commit (no relay, no queue)
    created = create_store(owner, relay=False)
    # then: the in-transaction reactions are there (staff's owner, the merchant account, the
    # franchise policy), the after-commit ones (door image, default categories) are not
    assert staff_queries.role_of(owner, created.id) == "owner"
    assert dict(EventDelivery.objects.values_list("handler", "status")) == {
        OWNER_HANDLER: "done",
        "contexts.merchant_account.tasks.on_store_created": "done",
        "contexts.affiliate.tasks.on_store_created": "done",
    }
    assert Store.objects.get().door_image_url == ""


def test_store_created_delivered_twice_gives_one_owner_and_sets_the_door_image_once(settings):
    # given
    owner = str(uuid.uuid4())
    created = create_store(owner)
    event = store_created_event()
    # when: the machinery delivers again, and the handlers themselves run again (a crash
    # between their effect and the 'done' mark), after the merchant set their own image
    Store.objects.filter(pk=created.id).update(door_image_url="https://img.example/mine.png")
    with TestCase.captureOnCommitCallbacks(execute=True):
        eventbus.relay([event.event_id])
    assert eventbus.deliver(event_id=event.event_id, handler=OWNER_HANDLER) == "done"
    assert eventbus.deliver(event_id=event.event_id, handler=DOOR_HANDLER) == "done"
    staff_tasks.make_creator_owner(event)
    store_tasks.apply_default_door_image(event)
    # then
    assert list(StoreMember.objects.values_list("store_id", "user_id", "role")) == [
        (created.id, owner, "owner")
    ]
    assert Store.objects.get().door_image_url == "https://img.example/mine.png"


def test_a_wrong_code_creates_no_store_no_point_no_event():
    # when
    with pytest.raises(InvalidInput):
        create_store(str(uuid.uuid4()), sms_code="999999")
    # then
    assert (Store.objects.count(), PickupPoint.objects.count(), OutboxEvent.objects.count()) == (0, 0, 0)


def test_a_store_created_with_its_own_door_image_keeps_it():
    # when
    create_store(str(uuid.uuid4()), door_image_url="https://img.example/door.jpg")
    # then
    assert Store.objects.get().door_image_url == "https://img.example/door.jpg"
    assert store_created_event().payload["door_image_url"] == "https://img.example/door.jpg"


def test_the_queries_answer_about_existing_and_unknown_stores():
    # given
    owner = str(uuid.uuid4())
    created = create_store(owner)
    point_id = PickupPoint.objects.get().pk
    # then
    summary = queries.store_summary(created.id)
    assert (summary.id, summary.name, summary.status, summary.owner_id) == (
        created.id,
        "西湖小铺",
        "active",
        owner,
    )
    assert queries.is_active(created.id) is True
    assert queries.is_active("nope") is False
    assert list(queries.pickup_points_by_ids(created.id, [point_id, "other"])) == [point_id]
    assert queries.pickup_points_by_ids("other-store", [point_id]) == {}
    assert queries.store_names([created.id, "nope"]) == {created.id: "西湖小铺"}
    assert queries.store_detail(created.id, viewer_role=None).phone == "137****0001"
    with pytest.raises(NotFound) as error:
        queries.store_summary("nope")
    assert error.value.code == "not_found"
