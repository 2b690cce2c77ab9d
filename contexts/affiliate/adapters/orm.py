"""The franchise and resale repositories (mappers model <-> aggregate) and the affiliate
unit of work."""

from django.db import IntegrityError, transaction

from contexts.affiliate import models
from contexts.affiliate.domain.model import Franchise, Membership, Resale, RevenueSharePolicy
from contexts.affiliate.domain.ports import AffiliateUnitOfWork, FranchiseRepository, ResaleRepository
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.errors import Conflict
from contexts.shared.domain.text import N_


def to_domain(row: models.FranchisePolicy, members: list[Membership]) -> Franchise:
    return Franchise(
        id=str(row.pk),
        store_id=str(row.store_id),
        policy=RevenueSharePolicy(
            enabled=row.enabled, commission_bps=row.commission_bps, billing_cycle=row.billing_cycle
        ),
        updated_at=row.updated_at,
        members=members,
    )


def resale_to_domain(row: models.Resale) -> Resale:
    return Resale(
        id=str(row.pk),
        solitaire_id=row.solitaire_id,
        brand_store_id=row.brand_store_id,
        store_id=row.store_id,
        created_at=row.created_at,
    )


def _members(brand_store_id: str) -> list[Membership]:
    rows = models.Membership.objects.filter(brand_store_id=brand_store_id).order_by("joined_at", "id")
    return [Membership(member_store_id=r.member_store_id, joined_at=r.joined_at) for r in rows]


class DjangoFranchiseRepository(FranchiseRepository):
    def __init__(self) -> None:
        # The member ids each franchise had when loaded: a save writes the difference, so a
        # member that a twin request added meanwhile fails our insert instead of passing unseen.
        self._loaded_members: dict[str, set[str]] = {}

    def by_store(self, store_id: str, *, for_update: bool = False) -> Franchise | None:
        rows = models.FranchisePolicy.objects.filter(store_id=str(store_id))
        # The policy row is the franchise's lock; its members are read after it is taken, so
        # a change of members waits for the one before and then sees what it left.
        row = (rows.select_for_update() if for_update else rows).first()
        if row is None:
            return None
        franchise = to_domain(row, _members(row.store_id))
        self._loaded_members[franchise.id] = {m.member_store_id for m in franchise.members}
        return franchise

    def add(self, franchise: Franchise) -> None:
        models.FranchisePolicy.objects.create(
            id=franchise.id, store_id=franchise.store_id, **self._values(franchise)
        )
        self._loaded_members[franchise.id] = set()
        self._save_members(franchise)

    def save(self, franchise: Franchise) -> None:
        models.FranchisePolicy.objects.filter(pk=franchise.id).update(**self._values(franchise))
        self._save_members(franchise)

    def _save_members(self, franchise: Franchise) -> None:
        loaded = self._loaded_members.get(franchise.id)
        if loaded is None:
            raise ValueError("save a franchise loaded or added through this repository")
        wanted = {m.member_store_id: m for m in franchise.members}
        gone = loaded - set(wanted)
        new = [
            models.Membership(
                brand_store_id=franchise.store_id, member_store_id=store_id, joined_at=membership.joined_at
            )
            for store_id, membership in wanted.items()
            if store_id not in loaded
        ]
        if gone:
            models.Membership.objects.filter(
                brand_store_id=franchise.store_id, member_store_id__in=list(gone)
            ).delete()
        if new:
            try:
                with transaction.atomic():  # a savepoint: the outer transaction survives the error
                    models.Membership.objects.bulk_create(new)
            except IntegrityError:
                raise Conflict(N_("This store is already a member of the franchise.")) from None
        self._loaded_members[franchise.id] = set(wanted)

    @staticmethod
    def _values(franchise: Franchise) -> dict:
        policy = franchise.policy
        return {
            "enabled": policy.enabled,
            "commission_bps": policy.commission_bps,
            "billing_cycle": policy.billing_cycle,
            "updated_at": franchise.updated_at,
        }


class DjangoResaleRepository(ResaleRepository):
    def of_solitaire_and_store(self, *, solitaire_id: str, store_id: str) -> Resale | None:
        row = models.Resale.objects.filter(solitaire_id=str(solitaire_id), store_id=str(store_id)).first()
        return resale_to_domain(row) if row else None

    def add(self, resale: Resale) -> bool:
        try:
            with transaction.atomic():  # a savepoint: the outer transaction survives the error
                models.Resale.objects.create(
                    id=resale.id,
                    solitaire_id=resale.solitaire_id,
                    brand_store_id=resale.brand_store_id,
                    store_id=resale.store_id,
                    created_at=resale.created_at,
                )
        except IntegrityError:
            return False
        return True


class DjangoAffiliateUow(DjangoUnitOfWork, AffiliateUnitOfWork):
    def __init__(self) -> None:
        self.franchises = DjangoFranchiseRepository()
        self.resales = DjangoResaleRepository()
