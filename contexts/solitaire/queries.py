"""Read side of solitaire: ORM -> contracts. A page of solitaires costs the same few queries
whatever its size: the rows (participant counts and "participant" as subqueries), their items
at once, and each distinct store's summary and pickup points once."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contexts.affiliate import queries as affiliate_queries
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.bootstrap import store_access, user_directory
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.text import N_
from contexts.solitaire import contracts, models
from contexts.store import queries as store_queries

STATUSES = [choice for choice, _label in models.Solitaire.Status.choices]


def _active_participations() -> QuerySet:
    return models.Participation.objects.filter(refunded_at__isnull=True)


def _with_counts(queryset: QuerySet) -> QuerySet:
    counts = (
        _active_participations()
        .filter(solitaire=OuterRef("pk"))
        .order_by()
        .values("solitaire")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        participant_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    ).order_by("-created_at", "id")


def _stores(store_ids: Iterable[str]) -> dict[str, tuple[contracts.StoreBrief, dict]]:
    """Every distinct store of a page with its pickup points: two queries, whatever the page."""
    wanted = list(dict.fromkeys(store_ids))
    summaries = store_queries.store_summaries(wanted)
    points_of = store_queries.pickup_points_of_stores(wanted)
    found = {}
    for store_id in wanted:
        summary = summaries.get(store_id)
        if summary is None:
            raise NotFound(N_("No such store."))
        points = {
            point.id: contracts.PickupPointView(
                id=point.id, name=point.name, address=point.address, is_default=point.is_default
            )
            for point in points_of[store_id]
        }
        found[store_id] = (
            contracts.StoreBrief(id=summary.id, name=summary.name, door_image_url=summary.door_image_url),
            points,
        )
    return found


def _views(
    rows: list[models.Solitaire],
    *,
    roles: dict[str, str] | None = None,
    brands: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> list[contracts.SolitaireView]:
    now = now or timezone.now()
    items: dict[str, list[contracts.ItemView]] = {row.pk: [] for row in rows}
    for item in models.SolitaireItem.objects.filter(solitaire_id__in=list(items)).order_by("position", "id"):
        items[item.solitaire_id].append(
            contracts.ItemView(
                id=item.pk,
                goods_id=item.goods_id,
                name=item.name,
                image_url=item.image_url,
                price_fen=item.price_fen,
                stock=item.stock,
                sold=item.sold,
                remaining=item.stock - item.sold,
                per_customer_limit=item.per_customer_limit,
            )
        )
    stores = _stores(row.store_id for row in rows)
    views = []
    for row in rows:
        store, points = stores[row.store_id]
        relation = None
        if roles is not None:
            relation = (
                (["operator"] if row.store_id in roles else [])
                + (["affiliate"] if row.store_id in brands else [])
                + (["participant"] if getattr(row, "participated", False) else [])
            )
        views.append(
            contracts.SolitaireView(
                id=row.pk,
                store=store,
                title=row.title,
                description=row.description,
                status=row.status,
                start_at=row.start_at,
                end_at=row.end_at,
                is_open=row.status == models.Solitaire.Status.PUBLISHED and row.start_at <= now < row.end_at,
                pickup_points=[points[i] for i in row.pickup_point_ids if i in points],
                items=items[row.pk],
                participant_count=getattr(row, "participant_count", 0),
                created_at=row.created_at,
                relation=relation,
            )
        )
    return views


def _visible_row(solitaire_id: str, viewer_id: str | None) -> models.Solitaire:
    """A draft exists only for its store's staff; for anyone else it is 404."""
    row = _with_counts(models.Solitaire.objects.filter(pk=str(solitaire_id))).first()
    if row is None or (
        row.status == models.Solitaire.Status.DRAFT
        and store_access().role_of(user_id=viewer_id, store_id=row.store_id) is None
    ):
        raise NotFound(N_("No such solitaire."))
    return row


def solitaire_detail(*, solitaire_id: str, viewer_id: str | None) -> contracts.SolitaireView:
    return _views([_visible_row(solitaire_id, viewer_id)])[0]


def solitaires_by_ids(solitaire_ids: Iterable[str]) -> dict[str, contracts.SolitaireView]:
    """Several solitaires at once, drafts included (the caller decides what to show); unknown
    ids are absent. The same few queries whatever their number."""
    rows = list(_with_counts(models.Solitaire.objects.filter(pk__in=[str(i) for i in solitaire_ids])))
    return {view.id: view for view in _views(rows)}


def store_solitaires(*, store_id: str, viewer_id: str | None, status: str | None = None) -> ContractPage:
    """The store's solitaires, newest first: its staff see all, others the published ones."""
    store_queries.store_summary(store_id)  # NotFound for an unknown store
    rows = models.Solitaire.objects.filter(store_id=str(store_id))
    if store_access().role_of(user_id=viewer_id, store_id=store_id) is None:
        rows = rows.filter(status=models.Solitaire.Status.PUBLISHED)
    if status:
        rows = rows.filter(status=status)
    return ContractPage(_with_counts(rows), _views)


def my_solitaires(*, viewer_id: str, status: str | None = None, store_id: str | None = None) -> ContractPage:
    """GET /solitaires?scope=mine: the solitaires of the stores where I am staff, the published
    ones of the brands whose franchise one of my stores belongs to, and those where I have a
    paid order, each with my relation to it."""
    roles = store_access().roles_of_user(viewer_id)
    brands = frozenset(affiliate_queries.brands_of_members(list(roles))) if roles else frozenset()
    mine = _active_participations().filter(customer_id=str(viewer_id))
    rows = models.Solitaire.objects.annotate(
        participated=Exists(mine.filter(solitaire=OuterRef("pk")))
    ).filter(
        Q(store_id__in=list(roles))
        | Q(store_id__in=list(brands), status=models.Solitaire.Status.PUBLISHED)
        | Q(participated=True)
    )
    if status:
        rows = rows.filter(status=status)
    if store_id:
        rows = rows.filter(store_id=str(store_id))
    return ContractPage(_with_counts(rows), lambda page: _views(page, roles=roles, brands=brands))


def _mask(nickname: str) -> str:
    return f"{nickname[:1]}*"


def participations(*, solitaire_id: str, viewer_id: str | None) -> ContractPage:
    """The solitaire's paid orders by sequence number, nicknames masked (first character + *)."""
    row = _visible_row(solitaire_id, viewer_id)
    rows = _active_participations().filter(solitaire_id=row.pk).order_by("sequence_no", "id")

    def to_views(page: list[models.Participation]) -> list[contracts.ParticipationView]:
        nicknames = user_directory().nicknames(list({p.customer_id for p in page}))
        return [
            contracts.ParticipationView(
                sequence_no=p.sequence_no,
                nickname=_mask(nicknames.get(p.customer_id, "")),
                items=list(p.items),
                joined_at=p.joined_at,
            )
            for p in page
        ]

    return ContractPage(rows, to_views)
