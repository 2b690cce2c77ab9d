"""The one place building staff's concrete adapters; the bff and tasks call these."""

from datetime import datetime

from contexts.staff import contracts, services
from contexts.staff.adapters.clients import IdentityUserDirectory
from contexts.staff.adapters.clock import DjangoClock
from contexts.staff.adapters.orm import DjangoStaffUow


def make_owner(*, store_id: str, user_id: str, joined_at: datetime) -> bool:
    return services.make_owner(uow=DjangoStaffUow(), store_id=store_id, user_id=user_id, joined_at=joined_at)


def add_member(*, actor_id: str, store_id: str, phone: str, role: str) -> contracts.StaffMember:
    return services.add_member(
        uow=DjangoStaffUow(),
        users=IdentityUserDirectory(),
        clock=DjangoClock(),
        actor_id=actor_id,
        store_id=store_id,
        phone=phone,
        role=role,
    )


def remove_member(*, actor_id: str, store_id: str, user_id: str) -> None:
    services.remove_member(uow=DjangoStaffUow(), actor_id=actor_id, store_id=store_id, user_id=user_id)
