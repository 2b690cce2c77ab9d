"""Stores and their pickup points. Pure Python."""

from dataclasses import dataclass
from datetime import datetime

from contexts.shared.domain.errors import Conflict, InvalidInput
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Address, Phone

ACTIVE = "active"
FROZEN = "frozen"
NAME_MAX = 64
DESCRIPTION_MAX = 2000
URL_MAX = 500


def clean_name(name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput(
            N_("{field} is required.", field=field), fields={field: [N_("This field may not be blank.")]}
        )
    if len(name) > NAME_MAX:
        raise InvalidInput(
            N_("{field} is too long.", field=field),
            fields={field: [N_("At most {limit} characters.", limit=NAME_MAX)]},
        )
    return name


def _clean_text(value: str | None, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(
            N_("{field} is too long.", field=field),
            fields={field: [N_("At most {limit} characters.", limit=limit)]},
        )
    return value


@dataclass(eq=False, kw_only=True)
class PickupPoint(AggregateRoot):
    store_id: str
    name: str
    address: Address
    is_default: bool = False

    @classmethod
    def create(cls, *, store_id: str, name: str, address: Address) -> "PickupPoint":
        return cls(id=new_id(), store_id=store_id, name=clean_name(name), address=address)

    def move_to(self, address: Address) -> None:
        self.address = address


@dataclass(eq=False, kw_only=True)
class Store(AggregateRoot):
    owner_id: str
    name: str
    phone: Phone
    address: Address
    description: str = ""
    door_image_url: str = ""
    status: str = ACTIVE
    created_at: datetime
    # Set once the platform default door image was considered, so the StoreCreated reaction
    # happens at most once whatever the merchant did since.
    door_image_defaulted: bool = False

    @classmethod
    def open(
        cls,
        *,
        owner_id: str,
        name: str,
        phone: Phone,
        address: Address,
        description: str | None,
        door_image_url: str | None,
        now: datetime,
    ) -> tuple["Store", PickupPoint]:
        """A new store and its default pickup point (the store's own address)."""
        store = cls(
            id=new_id(),
            owner_id=owner_id,
            name=clean_name(name),
            phone=phone,
            address=address,
            description=_clean_text(description, "description", DESCRIPTION_MAX),
            door_image_url=_clean_text(door_image_url, "door_image_url", URL_MAX),
            created_at=now,
        )
        point = PickupPoint(id=new_id(), store_id=store.id, name=store.name, address=address, is_default=True)
        store.record(
            "StoreCreated",
            store_id=store.id,
            owner_id=store.owner_id,
            name=store.name,
            phone=store.phone.number,
            door_image_url=store.door_image_url,
            created_at=store.created_at.isoformat(),
        )
        return store, point

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    def edit(
        self,
        *,
        name: str | None = None,
        description: str | None = None,
        door_image_url: str | None = None,
        address: Address | None = None,
    ) -> None:
        """None leaves a field as it is."""
        if name is not None:
            self.name = clean_name(name)
        if description is not None:
            self.description = _clean_text(description, "description", DESCRIPTION_MAX)
        if door_image_url is not None:
            self.door_image_url = _clean_text(door_image_url, "door_image_url", URL_MAX)
        if address is not None:
            self.address = address

    def apply_default_door_image(self, url: str) -> bool:
        """True when the default was set now: only once, and only on a store without an image."""
        if self.door_image_defaulted:
            return False
        self.door_image_defaulted = True
        if self.door_image_url:
            return True  # considered: the merchant's own image stays
        self.door_image_url = url
        return True

    def freeze(self) -> None:
        if self.status != ACTIVE:
            raise Conflict(N_("The store is already frozen."))
        self.status = FROZEN
        self.record("StoreFrozen", store_id=self.id)

    def unfreeze(self) -> None:
        if self.status != FROZEN:
            raise Conflict(N_("The store is not frozen."))
        self.status = ACTIVE
        self.record("StoreUnfrozen", store_id=self.id)
