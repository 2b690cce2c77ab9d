"""Staff use cases: one keyword-only function each. Framework-free: ports come in as arguments
(bootstrap.py binds them by name)."""

from datetime import datetime

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound
from contexts.shared.domain.ports import Clock
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Phone
from contexts.staff import contracts
from contexts.staff.domain import roles
from contexts.staff.domain.model import StoreMember
from contexts.staff.domain.ports import PhoneBook, StaffUnitOfWork


def _actor_role(uow: StaffUnitOfWork, store_id: str, actor_id: str) -> str | None:
    actor = uow.members.get(store_id, actor_id)
    return actor.role if actor else None


def make_owner(*, uow: StaffUnitOfWork, store_id: str, user_id: str, joined_at: datetime) -> bool:
    """The StoreCreated reaction: the creator becomes the owner. It runs inside the store's
    transaction (its unit of work joins the store's), so its failure fails the creation.
    Idempotent: a store that already has its owner (a repeated delivery) changes nothing.
    True when a member was added."""
    with uow:
        if uow.members.owner_of(store_id) is not None or uow.members.get(store_id, user_id) is not None:
            return False
        member = StoreMember.owner(store_id=store_id, user_id=user_id, joined_at=joined_at)
        uow.members.add(member)
        uow.commit()
    return True


def add_member(
    *,
    uow: StaffUnitOfWork,
    phone_book: PhoneBook,
    clock: Clock,
    actor_id: str,
    store_id: str,
    phone: str,
    role: str,
) -> contracts.StaffMember:
    """Owners add managers and clerks, managers add clerks. The new member is found by the
    verified phone (404 user_not_found)."""
    if role not in roles.ADDABLE_ROLES:
        raise InvalidInput(N_("role must be manager or clerk."), fields={"role": [roles.ROLE_ERROR]})
    number = Phone(phone)
    with uow:
        # Permission first, so that outsiders cannot probe which phones belong to users.
        operation = "staff.add_manager" if role == roles.MANAGER else "staff.add_clerk"
        roles.require(_actor_role(uow, store_id, actor_id), operation)
        person = phone_book.find(number.number)
        if person is None:
            raise NotFound(N_("No user has this verified phone."), code="user_not_found")
        member = StoreMember.hire(store_id=store_id, user_id=person.user_id, role=role, joined_at=clock.now())
        if uow.members.get(store_id, person.user_id) is not None:
            raise Conflict(N_("This user is already a member of the store."))
        uow.members.add(member)
        uow.commit()
    return contracts.StaffMember(
        store_id=store_id,
        user_id=person.user_id,
        nickname=person.nickname,
        phone=person.phone,
        role=member.role,
        joined_at=member.joined_at,
    )


def remove_member(*, uow: StaffUnitOfWork, actor_id: str, store_id: str, user_id: str) -> None:
    with uow:
        roles.require(_actor_role(uow, store_id, actor_id), "staff.remove")
        member = uow.members.get(store_id, user_id)
        if member is None:
            raise NotFound(N_("This user is not a member of the store."))
        member.ensure_removable()
        uow.members.remove(member)
        uow.commit()
