"""store's use cases with in-memory fakes: no database."""

from copy import deepcopy

import pytest

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from contexts.store import services
from contexts.store.domain.ports import PickupPointRepository, StoreRepository
from tests.support.fakes import T0, FakeAccess, FakeUnitOfWork, FixedClock, stored
from tests.support.store import FakeSms

DEFAULT_DOOR = "https://static.example/door.png"
ADDRESS = {"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}
FULL_ADDRESS = {**ADDRESS, "latitude": None, "longitude": None}
OWNER, MANAGER, CLERK = "u-owner", "u-manager", "u-clerk"


class FakeStores(StoreRepository):
    def __init__(self) -> None:
        self.rows = {}

    def get(self, store_id):
        return deepcopy(self.rows.get(store_id))

    def add(self, store):
        self.rows[store.id] = stored(store)

    def save(self, store):
        self.rows[store.id] = stored(store)


class FakePoints(PickupPointRepository):
    def __init__(self) -> None:
        self.rows = {}

    def default_of(self, store_id):
        return next(
            (deepcopy(p) for p in self.rows.values() if p.store_id == store_id and p.is_default), None
        )

    def add(self, point):
        self.rows[point.id] = deepcopy(point)

    def save(self, point):
        self.rows[point.id] = deepcopy(point)


def fake_uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(stores=FakeStores(), pickup_points=FakePoints())


class StoreRoles(FakeAccess):
    """The same three people hold their roles in every store of these tests."""

    ROLES = {OWNER: "owner", MANAGER: "manager", CLERK: "clerk"}

    def role_of(self, *, user_id, store_id):
        return self.ROLES.get(user_id)


def create(uow, sms=None, **overrides):
    kw = {
        "owner_id": OWNER,
        "name": "街角小店",
        "phone": "13800000001",
        "sms_code": "123456",
        "address": ADDRESS,
    }
    return services.create_store(uow=uow, sms=sms or FakeSms(), clock=FixedClock(T0), **{**kw, **overrides})


def test_creating_a_store_saves_it_with_its_default_point_and_records_store_created():
    # given
    uow, sms = fake_uow(), FakeSms()
    # when
    store = create(uow, sms, description="  fresh fruit  ")
    # then
    assert sms.checked == [("13800000001", "create_store", "123456")]
    assert (store.name, store.phone, store.address, store.description) == (
        "街角小店",
        "13800000001",
        FULL_ADDRESS,
        "fresh fruit",
    )
    assert (store.door_image_url, store.status, store.created_at, store.my_role) == (
        "",
        "active",
        T0,
        "owner",
    )
    [point] = uow.pickup_points.rows.values()
    assert (point.store_id, point.name, point.address.as_dict(), point.is_default) == (
        store.id,
        "街角小店",
        FULL_ADDRESS,
        True,
    )
    [event] = uow.events
    assert (event.event_type, event.aggregate_type, event.aggregate_id) == ("StoreCreated", "Store", store.id)
    assert event.payload == {
        "store_id": store.id,
        "owner_id": OWNER,
        "name": "街角小店",
        "phone": "13800000001",
        "door_image_url": "",
        "created_at": "2025-03-01T08:00:00+08:00",
    }


def test_a_wrong_sms_code_creates_nothing():
    # given
    uow = fake_uow()
    # when
    with pytest.raises(InvalidInput) as error:
        create(uow, sms_code="000000")
    # then
    assert error.value.code == "invalid_sms_code"
    assert (uow.stores.rows, uow.pickup_points.rows, uow.events) == ({}, {}, [])


@pytest.mark.parametrize(
    ("overrides", "code", "fields"),
    [
        ({"phone": "1380000"}, "invalid_phone", None),
        ({"name": "   "}, "invalid", {"name": ["This field may not be blank."]}),
        ({"address": {**ADDRESS, "city": ""}}, "invalid", {"city": ["This field is required."]}),
        ({"address": {**ADDRESS, "latitude": 91}}, "invalid", {"latitude": ["Out of range."]}),
    ],
)
def test_bad_input_is_refused_before_the_sms_code_is_spent(overrides, code, fields):
    # given
    uow, sms = fake_uow(), FakeSms()
    # when
    with pytest.raises(InvalidInput) as error:
        create(uow, sms, **overrides)
    # then
    assert (error.value.code, error.value.fields) == (code, fields)
    assert sms.checked == []
    assert (uow.stores.rows, uow.events) == ({}, [])


def test_editing_the_address_moves_the_default_pickup_point():
    # given
    uow = fake_uow()
    store = create(uow)
    moved = {**ADDRESS, "detail": "科技园 2 号", "latitude": 22.5, "longitude": 113.9}
    # when
    edited = services.edit_store(
        uow=uow, access=StoreRoles(), actor_id=MANAGER, store_id=store.id, name="新店名", address=moved
    )
    # then
    assert (edited.name, edited.address, edited.my_role, edited.phone) == (
        "新店名",
        moved,
        "manager",
        "13800000001",
    )
    [point] = uow.pickup_points.rows.values()
    assert (point.name, point.address.as_dict()) == ("街角小店", moved)


def test_a_clerk_may_not_edit_and_an_unknown_store_is_not_found():
    # given
    uow = fake_uow()
    store = create(uow)
    # when / then
    with pytest.raises(PermissionDenied):
        services.edit_store(uow=uow, access=StoreRoles(), actor_id=CLERK, store_id=store.id, name="x")
    with pytest.raises(NotFound):
        services.edit_store(uow=uow, access=StoreRoles(), actor_id=OWNER, store_id="nope", name="x")
    assert uow.stores.rows[store.id].name == "街角小店"


def test_adding_a_pickup_point_is_never_default():
    # given
    uow = fake_uow()
    store = create(uow)
    # when
    point = services.add_pickup_point(
        uow=uow, access=StoreRoles(), actor_id=OWNER, store_id=store.id, name=" 北门 ", address=ADDRESS
    )
    # then
    assert (point.store_id, point.name, point.address, point.is_default) == (
        store.id,
        "北门",
        FULL_ADDRESS,
        False,
    )
    assert len(uow.pickup_points.rows) == 2


def test_freezing_twice_is_a_conflict_and_unfreezing_an_active_store_too():
    # given
    uow = fake_uow()
    store = create(uow)
    # when
    frozen = services.freeze_store(uow=uow, store_id=store.id)
    # then
    assert frozen.status == "frozen"
    with pytest.raises(Conflict):
        services.freeze_store(uow=uow, store_id=store.id)
    assert services.unfreeze_store(uow=uow, store_id=store.id).status == "active"
    with pytest.raises(Conflict) as error:
        services.unfreeze_store(uow=uow, store_id=store.id)
    assert error.value.code == "invalid_state"
    assert [e.event_type for e in uow.events] == ["StoreCreated", "StoreFrozen", "StoreUnfrozen"]


def test_the_default_door_image_is_applied_once_and_never_over_the_merchants_image():
    # given
    uow = fake_uow()
    store = create(uow)
    # when
    first = services.apply_default_door_image(uow=uow, store_id=store.id, default_url=DEFAULT_DOOR)
    services.edit_store(uow=uow, access=StoreRoles(), actor_id=OWNER, store_id=store.id, door_image_url="")
    second = services.apply_default_door_image(uow=uow, store_id=store.id, default_url=DEFAULT_DOOR)
    # then
    assert (first, second) == (True, False)
    assert uow.stores.rows[store.id].door_image_url == ""


def test_a_store_created_with_a_door_image_keeps_it():
    # given
    uow = fake_uow()
    store = create(uow, door_image_url="https://img.example/mine.png")
    # when
    services.apply_default_door_image(uow=uow, store_id=store.id, default_url=DEFAULT_DOOR)
    # then
    assert uow.stores.rows[store.id].door_image_url == "https://img.example/mine.png"
    assert uow.events[0].payload["door_image_url"] == "https://img.example/mine.png"
