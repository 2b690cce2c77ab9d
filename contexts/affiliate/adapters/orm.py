"""The franchise repository (mapper model <-> aggregate) and the affiliate unit of work."""

from contexts.affiliate import models
from contexts.affiliate.domain.model import Franchise, RevenueSharePolicy
from contexts.affiliate.domain.ports import AffiliateUnitOfWork, FranchiseRepository
from contexts.shared.adapters.uow import DjangoUnitOfWork


def to_domain(row: models.FranchisePolicy) -> Franchise:
    return Franchise(
        id=str(row.pk),
        store_id=str(row.store_id),
        policy=RevenueSharePolicy(
            enabled=row.enabled, commission_bps=row.commission_bps, billing_cycle=row.billing_cycle
        ),
        updated_at=row.updated_at,
    )


class DjangoFranchiseRepository(FranchiseRepository):
    def by_store(self, store_id: str, *, for_update: bool = False) -> Franchise | None:
        rows = models.FranchisePolicy.objects.filter(store_id=str(store_id))
        row = (rows.select_for_update() if for_update else rows).first()
        return to_domain(row) if row else None

    def add(self, franchise: Franchise) -> None:
        models.FranchisePolicy.objects.create(
            id=franchise.id, store_id=franchise.store_id, **self._values(franchise)
        )

    def save(self, franchise: Franchise) -> None:
        models.FranchisePolicy.objects.filter(pk=franchise.id).update(**self._values(franchise))

    @staticmethod
    def _values(franchise: Franchise) -> dict:
        policy = franchise.policy
        return {
            "enabled": policy.enabled,
            "commission_bps": policy.commission_bps,
            "billing_cycle": policy.billing_cycle,
            "updated_at": franchise.updated_at,
        }


class DjangoAffiliateUow(DjangoUnitOfWork, AffiliateUnitOfWork):
    def __init__(self) -> None:
        self.franchises = DjangoFranchiseRepository()
