"""Read side of solitaire: ORM -> contracts. A page of solitaires costs the same few queries
whatever its size: the rows (participant counts and "participant" as subqueries), their items
at once, and each distinct store's summary with its pickup points once. A solitaire's detail is
two: the solitaire with its count and items, then its store with its points."""

from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contexts.affiliate import queries as affiliate_queries
from contexts.shared.adapters import sql
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
    """Every distinct store of a page with its pickup points: one query, whatever the page."""
    wanted = list(dict.fromkeys(store_ids))
    stores = store_queries.summaries_with_pickup_points(wanted)
    found = {}
    for store_id in wanted:
        if store_id not in stores:
            raise NotFound(N_("No such store."))
        summary, points_of_store = stores[store_id]
        points = {
            point.id: contracts.PickupPointView(
                id=point.id, name=point.name, address=point.address, is_default=point.is_default
            )
            for point in points_of_store
        }
        found[store_id] = (
            contracts.StoreBrief(id=summary.id, name=summary.name, door_image_url=summary.door_image_url),
            points,
        )
    return found


ITEM_COLUMNS = ("id", "goods_id", "name", "image_url", "price_fen", "stock", "sold", "per_customer_limit")
HEAD_COLUMNS = ("id", "store_id", "title", "description", "status", "start_at", "end_at")
HEAD_COLUMNS += ("pickup_point_ids", "created_at")
# GET /solitaires/{id}, which every shopper opens: the solitaire, its participant count (counted
# once, not per item) and its items in one hand-written statement (contexts.shared.adapters.sql).
DETAIL = (
    "SELECT "
    + ", ".join([*(f"s.{name}" for name in HEAD_COLUMNS), "c.n", *(f"i.{name}" for name in ITEM_COLUMNS)])
    + " FROM solitaire_solitaire s CROSS JOIN (SELECT COUNT(*) AS n FROM solitaire_participation"
    + " WHERE solitaire_id = %s AND refunded_at IS NULL) c"
    + " LEFT OUTER JOIN solitaire_solitaireitem i ON i.solitaire_id = s.id"
    + " WHERE s.id = %s ORDER BY i.position, i.id"
)
DETAIL_FIELDS = sql.Columns(
    *(sql.column(models.Solitaire, name) for name in HEAD_COLUMNS),
    IntegerField(),
    *(sql.column(models.SolitaireItem, name) for name in ITEM_COLUMNS),
)


def _item_view(values: dict) -> contracts.ItemView:
    return contracts.ItemView(**values, remaining=values["stock"] - values["sold"])


def _items_of(solitaire_ids: list[str]) -> dict[str, list[contracts.ItemView]]:
    items: dict[str, list[contracts.ItemView]] = {solitaire_id: [] for solitaire_id in solitaire_ids}
    rows = (
        models.SolitaireItem.objects.filter(solitaire_id__in=solitaire_ids)
        .order_by("position", "id")
        .values_list("solitaire_id", *ITEM_COLUMNS)
    )
    for solitaire_id, *values in rows:
        items[solitaire_id].append(_item_view(dict(zip(ITEM_COLUMNS, values, strict=True))))
    return items


def _views(
    rows: list,
    *,
    items: dict[str, list[contracts.ItemView]] | None = None,
    roles: dict[str, str] | None = None,
    brands: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> list[contracts.SolitaireView]:
    """Solitaire rows (models, or anything with their attributes and `participant_count`) as
    views; their items fetched at once unless given."""
    now = now or timezone.now()
    if items is None:
        items = _items_of([row.pk for row in rows])
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


def _require_visible(found: tuple[str, str] | None, viewer_id: str | None) -> None:
    """`found`: the solitaire's (status, store_id), None when there is no such solitaire. A
    draft exists only for its store's staff; for anyone else it is 404."""
    if found is None or (
        found[0] == models.Solitaire.Status.DRAFT
        and store_access().role_of(user_id=viewer_id, store_id=found[1]) is None
    ):
        raise NotFound(N_("No such solitaire."))


def solitaire_detail(*, solitaire_id: str, viewer_id: str | None) -> contracts.SolitaireView:
    rows = sql.fetch(DETAIL, [str(solitaire_id)] * 2, DETAIL_FIELDS)
    _require_visible((rows[0][4], rows[0][1]) if rows else None, viewer_id)  # status, store_id
    split = len(HEAD_COLUMNS)
    head = SimpleNamespace(**dict(zip(HEAD_COLUMNS, rows[0][:split], strict=True)))
    head.pk, head.participant_count = head.id, rows[0][split]
    items = [
        _item_view(dict(zip(ITEM_COLUMNS, row[split + 1 :], strict=True)))
        for row in rows
        if row[split + 1] is not None
    ]
    return _views([head], items={head.pk: items})[0]


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
    """The solitaire's paid orders by sequence number, nicknames masked (first character + *).
    The prober of the load harness polls it: the solitaire is read for its visibility only
    (no participant count: the page counts its rows once), the rows as the four values shown."""
    found = models.Solitaire.objects.filter(pk=str(solitaire_id)).values_list("status", "store_id").first()
    _require_visible(found, viewer_id)
    rows = (
        _active_participations()
        .filter(solitaire_id=str(solitaire_id))
        .order_by("sequence_no", "id")
        .values_list("sequence_no", "customer_id", "items", "joined_at")
    )

    def to_views(page: list[tuple]) -> list[contracts.ParticipationView]:
        nicknames = user_directory().nicknames(list({customer_id for _n, customer_id, _i, _j in page}))
        return [
            contracts.ParticipationView(
                sequence_no=sequence_no,
                nickname=_mask(nicknames.get(customer_id, "")),
                items=list(items),
                joined_at=joined_at,
            )
            for sequence_no, customer_id, items, joined_at in page
        ]

    return ContractPage(rows, to_views)
