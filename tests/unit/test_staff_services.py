"""staff's use cases with in-memory fakes: no database."""

from dataclasses import replace
from datetime import timedelta

import pytest

from contexts.shared.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from contexts.staff import services
from contexts.staff.contracts import StaffMember
from contexts.staff.domain.ports import MemberRepository, Person, PhoneBook
from tests.support.fakes import T0, FakeUnitOfWork, FixedClock

T1 = T0 + timedelta(days=1, hours=1, minutes=30)
STORE = "store-1"
OWNER, MANAGER, CLERK, STRANGER = "u-owner", "u-manager", "u-clerk", "u-stranger"


class FakeMembers(MemberRepository):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], object] = {}

    def get(self, store_id, user_id):
        found = self.rows.get((store_id, user_id))
        return replace(found) if found else None

    def owner_of(self, store_id):
        return next((replace(m) for (s, _u), m in self.rows.items() if s == store_id and m.is_owner), None)

    def add(self, member):
        if (member.store_id, member.user_id) in self.rows:
            raise Conflict("duplicate")
        self.rows[(member.store_id, member.user_id)] = replace(member)

    def remove(self, member):
        del self.rows[(member.store_id, member.user_id)]


class FakePhoneBook(PhoneBook):
    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people

    def find(self, phone):
        return self.people.get(phone)


PEOPLE = {
    "13800000002": Person(user_id=MANAGER, nickname="Mia", phone="13800000002"),
    "13800000003": Person(user_id=CLERK, nickname="Carl", phone="13800000003"),
    "13800000009": Person(user_id=STRANGER, nickname="Sam", phone="13800000009"),
}


@pytest.fixture
def uow():
    uow = FakeUnitOfWork(members=FakeMembers())
    services.make_owner(uow=uow, store_id=STORE, user_id=OWNER, joined_at=T0)
    return uow


def add(uow, actor, phone, role):
    return services.add_member(
        uow=uow,
        phone_book=FakePhoneBook(PEOPLE),
        clock=FixedClock(T1),
        actor_id=actor,
        store_id=STORE,
        phone=phone,
        role=role,
    )


def roles_in(uow) -> dict[str, str]:
    return {user: member.role for (_s, user), member in uow.members.rows.items()}


def test_the_creator_becomes_owner_once_however_often_the_reaction_runs(uow):
    # when: the StoreCreated reaction runs again
    again = services.make_owner(uow=uow, store_id=STORE, user_id=OWNER, joined_at=T0)
    # then
    assert again is False
    assert roles_in(uow) == {OWNER: "owner"}
    assert uow.members.get(STORE, OWNER).joined_at == T0


def test_an_owner_adds_a_manager_found_by_verified_phone(uow):
    # when
    member = add(uow, OWNER, "13800000002", "manager")
    # then
    assert member == StaffMember(
        store_id=STORE, user_id=MANAGER, nickname="Mia", phone="13800000002", role="manager", joined_at=T1
    )
    assert roles_in(uow) == {OWNER: "owner", MANAGER: "manager"}


def test_a_manager_adds_clerks_but_not_managers(uow):
    # given
    add(uow, OWNER, "13800000002", "manager")
    # when
    add(uow, MANAGER, "13800000003", "clerk")
    # then
    with pytest.raises(PermissionDenied):
        add(uow, MANAGER, "13800000009", "manager")
    assert roles_in(uow) == {OWNER: "owner", MANAGER: "manager", CLERK: "clerk"}


def test_clerks_and_outsiders_add_nobody(uow):
    # given
    add(uow, OWNER, "13800000003", "clerk")
    # when / then
    for actor in (CLERK, STRANGER):
        with pytest.raises(PermissionDenied):
            add(uow, actor, "13800000009", "clerk")
    assert roles_in(uow) == {OWNER: "owner", CLERK: "clerk"}


def test_an_unknown_phone_is_user_not_found(uow):
    # when
    with pytest.raises(NotFound) as error:
        add(uow, OWNER, "13900000000", "clerk")
    # then
    assert error.value.code == "user_not_found"
    assert roles_in(uow) == {OWNER: "owner"}


def test_a_bad_phone_or_role_is_invalid_input(uow):
    # when / then
    with pytest.raises(InvalidInput) as bad_phone:
        add(uow, OWNER, "12345", "clerk")
    with pytest.raises(InvalidInput) as bad_role:
        add(uow, OWNER, "13800000002", "owner")
    assert bad_phone.value.code == "invalid_phone"
    assert bad_role.value.fields == {"role": ["Must be manager or clerk."]}
    assert roles_in(uow) == {OWNER: "owner"}


def test_adding_a_member_twice_is_a_conflict(uow):
    # given
    add(uow, OWNER, "13800000003", "clerk")
    # when
    with pytest.raises(Conflict) as error:
        add(uow, OWNER, "13800000003", "manager")
    # then
    assert error.value.code == "invalid_state"
    assert roles_in(uow) == {OWNER: "owner", CLERK: "clerk"}


def test_the_owner_removes_a_member(uow):
    # given
    add(uow, OWNER, "13800000003", "clerk")
    # when
    services.remove_member(uow=uow, actor_id=OWNER, store_id=STORE, user_id=CLERK)
    # then
    assert roles_in(uow) == {OWNER: "owner"}


def test_only_the_owner_removes_and_the_owner_is_never_removed(uow):
    # given
    add(uow, OWNER, "13800000002", "manager")
    add(uow, OWNER, "13800000003", "clerk")
    # when / then
    with pytest.raises(PermissionDenied):
        services.remove_member(uow=uow, actor_id=MANAGER, store_id=STORE, user_id=CLERK)
    with pytest.raises(Conflict) as owner_removal:
        services.remove_member(uow=uow, actor_id=OWNER, store_id=STORE, user_id=OWNER)
    with pytest.raises(NotFound) as unknown:
        services.remove_member(uow=uow, actor_id=OWNER, store_id=STORE, user_id=STRANGER)
    assert owner_removal.value.code == "invalid_state"
    assert unknown.value.code == "not_found"
    assert roles_in(uow) == {OWNER: "owner", MANAGER: "manager", CLERK: "clerk"}
