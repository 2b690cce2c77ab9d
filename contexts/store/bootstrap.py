"""The one place building store's concrete adapters; the bff, the admin and tasks call these."""

from django.conf import settings

from contexts.store import contracts, services
from contexts.store.adapters.clients import IdentitySmsCodeVerifier, StaffStoreAccess
from contexts.store.adapters.clock import DjangoClock
from contexts.store.adapters.orm import DjangoStoreUow


def create_store(**kw) -> contracts.StoreDetail:
    """owner_id, name, phone, sms_code, address (dict), description?, door_image_url?"""
    return services.create_store(
        uow=DjangoStoreUow(), sms=IdentitySmsCodeVerifier(), clock=DjangoClock(), **kw
    )


def edit_store(**kw) -> contracts.StoreDetail:
    """actor_id, store_id, name?, description?, door_image_url?, address?"""
    return services.edit_store(uow=DjangoStoreUow(), access=StaffStoreAccess(), **kw)


def add_pickup_point(**kw) -> contracts.PickupPointInfo:
    """actor_id, store_id, name, address (dict)"""
    return services.add_pickup_point(uow=DjangoStoreUow(), access=StaffStoreAccess(), **kw)


def freeze_store(*, store_id: str) -> contracts.StoreDetail:
    return services.freeze_store(uow=DjangoStoreUow(), store_id=store_id)


def unfreeze_store(*, store_id: str) -> contracts.StoreDetail:
    return services.unfreeze_store(uow=DjangoStoreUow(), store_id=store_id)


def apply_default_door_image(*, store_id: str) -> bool:
    return services.apply_default_door_image(
        uow=DjangoStoreUow(), store_id=store_id, default_url=settings.DEFAULT_DOOR_IMAGE_URL
    )
