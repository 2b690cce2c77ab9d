"""Read side of affiliate: ORM -> contracts, a fixed number of queries each."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Subquery

from contexts.affiliate import contracts
from contexts.affiliate.domain.model import FRANCHISE_DISABLED
from contexts.affiliate.models import FranchisePolicy, Membership, Resale
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.bootstrap import store_directory
from contexts.shared.domain.errors import Conflict, NotFound
from contexts.shared.domain.text import N_


def policy_of(store_id: str) -> contracts.PolicyView:
    """The store's revenue-share policy; NotFound for a store without one."""
    row = (
        FranchisePolicy.objects.filter(store_id=str(store_id))
        .values("enabled", "commission_bps", "billing_cycle")
        .first()
    )
    if row is None:
        raise NotFound(N_("This store has no franchise policy."))
    return contracts.PolicyView(**row)


def members_of(brand_store_id: str) -> list[contracts.MemberView]:
    """The brand's affiliate stores, the earliest to join first. Two queries (the members,
    then their names at once)."""
    rows = list(
        Membership.objects.filter(brand_store_id=str(brand_store_id))
        .order_by("joined_at", "id")
        .values_list("member_store_id", "joined_at")
    )
    names = store_directory().names([store_id for store_id, _joined in rows]) if rows else {}
    return [
        contracts.MemberView(store_id=store_id, store_name=names.get(store_id, ""), joined_at=joined_at)
        for store_id, joined_at in rows
    ]


def _resale_view(row: Resale) -> contracts.ResaleView:
    return contracts.ResaleView(
        id=row.pk,
        solitaire_id=row.solitaire_id,
        brand_store_id=row.brand_store_id,
        store_id=row.store_id,
        created_at=row.created_at,
    )


def resales_of_store(store_id: str) -> ContractPage:
    """The affiliate store's resales, newest first: a count and one query per page."""
    rows = Resale.objects.filter(store_id=str(store_id)).order_by("-created_at", "-id")
    return ContractPage.each(rows, _resale_view)


def resale_terms(*, resale_id: str, solitaire_id: str) -> contracts.ResaleTerms:
    """The terms an order placed now through the resale carries. Conflict `franchise_disabled`
    when the resale is unknown or of another solitaire, when its store has left the brand's
    franchise, or while that franchise is disabled. One query."""
    member = Membership.objects.filter(
        brand_store_id=OuterRef("brand_store_id"), member_store_id=OuterRef("store_id")
    )
    policy = FranchisePolicy.objects.filter(store_id=OuterRef("brand_store_id"), enabled=True)
    row = (
        Resale.objects.filter(pk=str(resale_id), solitaire_id=str(solitaire_id))
        .annotate(is_member=Exists(member))
        .filter(is_member=True)
        .annotate(
            commission_bps=Subquery(policy.values("commission_bps")[:1]),
            billing_cycle=Subquery(policy.values("billing_cycle")[:1]),
        )
        .filter(billing_cycle__isnull=False)  # no enabled policy, no terms
        .values("id", "solitaire_id", "brand_store_id", "store_id", "commission_bps", "billing_cycle")
        .first()
    )
    if row is None:
        raise Conflict(N_("This resale takes no orders."), code=FRANCHISE_DISABLED)
    return contracts.ResaleTerms(
        resale_id=row["id"],
        solitaire_id=row["solitaire_id"],
        brand_store_id=row["brand_store_id"],
        affiliate_store_id=row["store_id"],
        commission_bps=row["commission_bps"],
        billing_cycle=row["billing_cycle"],
    )


def brands_of_members(store_ids: Iterable[str]) -> set[str]:
    """The brand stores whose franchise any of these stores is a member of (enabled or not).
    One query; none for no stores."""
    wanted = [str(store_id) for store_id in store_ids]
    if not wanted:
        return set()
    rows = Membership.objects.filter(member_store_id__in=wanted).values_list("brand_store_id", flat=True)
    return set(rows)
