"""Repositories and mappers model <-> domain, and the store unit of work."""

from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.values import Address, Phone
from contexts.store import models
from contexts.store.domain.model import PickupPoint, Store
from contexts.store.domain.ports import PickupPointRepository, StoreRepository, StoreUnitOfWork

ADDRESS_FIELDS = ("province", "city", "district", "detail", "latitude", "longitude")


def address_of(row) -> Address:
    return Address(**{name: getattr(row, name) for name in ADDRESS_FIELDS})


def address_columns(address: Address) -> dict:
    return {name: getattr(address, name) for name in ADDRESS_FIELDS}


def store_to_domain(row: models.Store) -> Store:
    return Store(
        id=row.pk,
        owner_id=row.owner_id,
        name=row.name,
        phone=Phone(row.phone),
        address=address_of(row),
        description=row.description,
        door_image_url=row.door_image_url,
        status=row.status,
        created_at=row.created_at,
        door_image_defaulted=row.door_image_defaulted,
    )


def store_columns(store: Store) -> dict:
    return {
        "owner_id": store.owner_id,
        "name": store.name,
        "phone": store.phone.number,
        "description": store.description,
        "door_image_url": store.door_image_url,
        "door_image_defaulted": store.door_image_defaulted,
        "status": store.status,
        "created_at": store.created_at,
        **address_columns(store.address),
    }


def point_to_domain(row: models.PickupPoint) -> PickupPoint:
    return PickupPoint(
        id=row.pk, store_id=row.store_id, name=row.name, address=address_of(row), is_default=row.is_default
    )


class DjangoStoreRepository(StoreRepository):
    def get(self, store_id: str) -> Store | None:
        row = models.Store.objects.select_for_update().filter(pk=str(store_id)).first()
        return store_to_domain(row) if row else None

    def add(self, store: Store) -> None:
        models.Store.objects.create(id=store.id, **store_columns(store))

    def save(self, store: Store) -> None:
        models.Store.objects.filter(pk=store.id).update(**store_columns(store))


class DjangoPickupPointRepository(PickupPointRepository):
    def default_of(self, store_id: str) -> PickupPoint | None:
        row = models.PickupPoint.objects.filter(store_id=store_id, is_default=True).first()
        return point_to_domain(row) if row else None

    def add(self, point: PickupPoint) -> None:
        models.PickupPoint.objects.create(
            id=point.id,
            store_id=point.store_id,
            name=point.name,
            is_default=point.is_default,
            **address_columns(point.address),
        )

    def save(self, point: PickupPoint) -> None:
        models.PickupPoint.objects.filter(pk=point.id).update(
            name=point.name, is_default=point.is_default, **address_columns(point.address)
        )


class DjangoStoreUow(DjangoUnitOfWork, StoreUnitOfWork):
    def __init__(self) -> None:
        self.stores = DjangoStoreRepository()
        self.pickup_points = DjangoPickupPointRepository()
