"""Store use cases: one keyword-only function each. Framework-free: ports come in as arguments
(bootstrap.py binds them by name)."""

from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.ports import Clock, StoreAccess
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Address, Phone
from contexts.store import contracts
from contexts.store.domain.model import PickupPoint, Store
from contexts.store.domain.ports import SmsCodeVerifier, StoreUnitOfWork

CREATE_STORE_PURPOSE = "create_store"


def _detail(store: Store, my_role: str | None) -> contracts.StoreDetail:
    return contracts.StoreDetail(
        id=store.id,
        name=store.name,
        phone=store.phone.number if my_role else store.phone.masked(),
        address=store.address.as_dict(),
        description=store.description,
        door_image_url=store.door_image_url,
        status=store.status,
        created_at=store.created_at,
        my_role=my_role,
    )


def _point_info(point: PickupPoint) -> contracts.PickupPointInfo:
    return contracts.PickupPointInfo(
        id=point.id,
        store_id=point.store_id,
        name=point.name,
        address=point.address.as_dict(),
        is_default=point.is_default,
    )


def _load(uow: StoreUnitOfWork, store_id: str) -> Store:
    store = uow.stores.get(store_id)
    if store is None:
        raise NotFound(N_("No such store."))
    return store


def create_store(
    *,
    uow: StoreUnitOfWork,
    sms: SmsCodeVerifier,
    clock: Clock,
    owner_id: str,
    name: str,
    phone: str,
    sms_code: str,
    address: dict,
    description: str | None = None,
    door_image_url: str | None = None,
) -> contracts.StoreDetail:
    """Open a store whose phone is proven by a create_store SMS code; its default pickup point
    (the store's address) and StoreCreated commit with it. The creator is the owner."""
    store, point = Store.open(
        owner_id=owner_id,
        name=name,
        phone=Phone(phone),
        address=Address.from_dict(address),
        description=description,
        door_image_url=door_image_url,
        now=clock.now(),
    )
    # Every other input is checked before the code is spent; the code's check commits on its
    # own, so a wrong try counts even though no store is created.
    sms.verify(phone=store.phone.number, purpose=CREATE_STORE_PURPOSE, code=sms_code)
    with uow:
        uow.stores.add(store)
        uow.pickup_points.add(point)
        uow.commit()
    return _detail(store, "owner")


def edit_store(
    *,
    uow: StoreUnitOfWork,
    access: StoreAccess,
    actor_id: str,
    store_id: str,
    name: str | None = None,
    description: str | None = None,
    door_image_url: str | None = None,
    address: dict | None = None,
) -> contracts.StoreDetail:
    """Owner and manager edit the store; a new address moves the default pickup point too."""
    new_address = Address.from_dict(address) if address is not None else None
    with uow:
        store = _load(uow, store_id)
        role = access.authorize(user_id=actor_id, store_id=store_id, operation="store.edit")
        store.edit(name=name, description=description, door_image_url=door_image_url, address=new_address)
        uow.stores.save(store)
        if new_address is not None:
            point = uow.pickup_points.default_of(store_id)
            if point is not None:
                point.move_to(new_address)
                uow.pickup_points.save(point)
        uow.commit()
    return _detail(store, role)


def add_pickup_point(
    *, uow: StoreUnitOfWork, access: StoreAccess, actor_id: str, store_id: str, name: str, address: dict
) -> contracts.PickupPointInfo:
    point_address = Address.from_dict(address)
    with uow:
        _load(uow, store_id)
        access.authorize(user_id=actor_id, store_id=store_id, operation="pickup_point.create")
        point = PickupPoint.create(store_id=store_id, name=name, address=point_address)
        uow.pickup_points.add(point)
        uow.commit()
    return _point_info(point)


def freeze_store(*, uow: StoreUnitOfWork, store_id: str) -> contracts.StoreDetail:
    """An operator's action: a frozen store accepts no new orders and publishes nothing."""
    with uow:
        store = _load(uow, store_id)
        store.freeze()
        uow.stores.save(store)
        uow.commit()
    return _detail(store, None)


def unfreeze_store(*, uow: StoreUnitOfWork, store_id: str) -> contracts.StoreDetail:
    with uow:
        store = _load(uow, store_id)
        store.unfreeze()
        uow.stores.save(store)
        uow.commit()
    return _detail(store, None)


def apply_default_door_image(*, uow: StoreUnitOfWork, store_id: str, default_url: str) -> bool:
    """The StoreCreated reaction: a store created without a door image gets the platform's
    default. At most once per store, and never over an image the merchant set since."""
    with uow:
        store = _load(uow, store_id)
        changed = store.apply_default_door_image(default_url)
        if changed:
            uow.stores.save(store)
        uow.commit()
    return changed
