"""South ports of staff."""

import abc
from dataclasses import dataclass

from contexts.shared.domain.ports import Repository, UnitOfWork
from contexts.staff.domain.model import StoreMember


@dataclass(frozen=True)
class Person:
    user_id: str
    nickname: str
    phone: str | None


class MemberRepository(Repository, abc.ABC):
    @abc.abstractmethod
    def get(self, store_id: str, user_id: str) -> StoreMember | None: ...

    @abc.abstractmethod
    def owner_of(self, store_id: str) -> StoreMember | None: ...

    @abc.abstractmethod
    def add(self, member: StoreMember) -> None:
        """Raises Conflict when the database already holds that member (or a second owner)."""

    @abc.abstractmethod
    def remove(self, member: StoreMember) -> None: ...


class StaffUnitOfWork(UnitOfWork):
    members: MemberRepository


class PhoneBook(abc.ABC):
    """Identity's users by verified phone: staff add members by phone (the kernel's
    UserDirectory knows users by id only)."""

    @abc.abstractmethod
    def find(self, phone: str) -> Person | None:
        """The user whose verified phone this is, or None."""
