"""Repositories and mappers model <-> domain, and the staff unit of work."""

from django.db import IntegrityError, transaction

from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_
from contexts.staff import models
from contexts.staff.domain.model import StoreMember
from contexts.staff.domain.ports import MemberRepository, StaffUnitOfWork


def to_domain(row: models.StoreMember) -> StoreMember:
    return StoreMember(
        id=row.pk, store_id=row.store_id, user_id=row.user_id, role=row.role, joined_at=row.joined_at
    )


class DjangoMemberRepository(MemberRepository):
    def get(self, store_id: str, user_id: str) -> StoreMember | None:
        row = models.StoreMember.objects.filter(store_id=store_id, user_id=user_id).first()
        return to_domain(row) if row else None

    def owner_of(self, store_id: str) -> StoreMember | None:
        row = models.StoreMember.objects.filter(store_id=store_id, role=models.StoreMember.Role.OWNER).first()
        return to_domain(row) if row else None

    def add(self, member: StoreMember) -> None:
        try:
            # A savepoint: a lost race leaves the outer transaction usable for the 409.
            with transaction.atomic():
                models.StoreMember.objects.create(
                    id=member.id,
                    store_id=member.store_id,
                    user_id=member.user_id,
                    role=member.role,
                    joined_at=member.joined_at,
                )
        except IntegrityError:
            raise Conflict(N_("This user is already a member of the store."))

    def remove(self, member: StoreMember) -> None:
        models.StoreMember.objects.filter(pk=member.id).delete()


class DjangoStaffUow(DjangoUnitOfWork, StaffUnitOfWork):
    def __init__(self) -> None:
        self.members = DjangoMemberRepository()
