"""Read side of store: ORM -> contracts, one or two queries per call."""

from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from django.db.models import Count
from django.db.models.functions import TruncDate

from contexts.shared.adapters import sql
from contexts.shared.bootstrap import store_access
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.text import N_
from contexts.shared.domain.values import Phone
from contexts.store.adapters.orm import ADDRESS_FIELDS
from contexts.store.contracts import PickupPointInfo, StoreDetail, StoreSummary
from contexts.store.models import PickupPoint, Store


def _address(row) -> dict:
    return {name: getattr(row, name) for name in ADDRESS_FIELDS}


def _detail(row: Store, my_role: str | None) -> StoreDetail:
    return StoreDetail(
        id=row.pk,
        name=row.name,
        phone=row.phone if my_role else Phone(row.phone).masked(),
        address=_address(row),
        description=row.description,
        door_image_url=row.door_image_url,
        status=row.status,
        created_at=row.created_at,
        my_role=my_role,
    )


def _point(row: PickupPoint) -> PickupPointInfo:
    return PickupPointInfo(
        id=row.pk, store_id=row.store_id, name=row.name, address=_address(row), is_default=row.is_default
    )


def store_summary(store_id: str) -> StoreSummary:
    """Raises NotFound for an unknown store."""
    row = (
        Store.objects.filter(pk=str(store_id))
        .values("id", "name", "status", "door_image_url", "owner_id", "created_at")
        .first()
    )
    if row is None:
        raise NotFound(N_("No such store."))
    return StoreSummary(**row)


def is_active(store_id: str) -> bool:
    # Asked by every join: hand-written SQL (see contexts.shared.adapters.sql).
    found = sql.fetch(
        "SELECT 1 FROM store_store WHERE id = %s AND status = %s", [str(store_id), Store.Status.ACTIVE]
    )
    return bool(found)


def store_detail(store_id: str, viewer_role: str | None) -> StoreDetail:
    """The API's store; viewers without a role (non-staff) see the phone masked."""
    row = Store.objects.filter(pk=str(store_id)).first()
    if row is None:
        raise NotFound(N_("No such store."))
    return _detail(row, viewer_role)


def stores_of_user(user_id: str) -> list[StoreDetail]:
    """Every store where the user is staff, newest first, with the user's role. Two queries."""
    roles = store_access().roles_of_user(user_id)
    if not roles:
        return []
    rows = Store.objects.filter(pk__in=list(roles)).order_by("-created_at", "id")
    return [_detail(row, roles[row.pk]) for row in rows]


def pickup_points(store_id: str) -> list[PickupPointInfo]:
    """The default point (the store's address) first, then the others by creation."""
    rows = PickupPoint.objects.filter(store_id=str(store_id)).order_by("-is_default", "created_at", "id")
    return [_point(row) for row in rows]


def pickup_points_by_ids(store_id: str, ids: Iterable[str]) -> dict[str, PickupPointInfo]:
    """Those of `ids` that are this store's points; an id missing from the answer is not."""
    wanted = {str(i) for i in ids}
    if not wanted:
        return {}
    rows = PickupPoint.objects.filter(store_id=str(store_id), pk__in=wanted)
    return {row.pk: _point(row) for row in rows}


def store_names(ids: Iterable[str]) -> dict[str, str]:
    """{store_id: name} of the known ones. One query (lists of other contexts)."""
    wanted = {str(i) for i in ids}
    if not wanted:
        return {}
    return dict(Store.objects.filter(pk__in=wanted).values_list("id", "name"))


SUMMARY_FIELDS = ("id", "name", "status", "door_image_url", "owner_id", "created_at")
POINT_FIELDS = ("id", "name", "is_default", *ADDRESS_FIELDS)


def summaries_with_pickup_points(
    ids: Iterable[str],
) -> dict[str, tuple[StoreSummary, list[PickupPointInfo]]]:
    """{store_id: (summary, its points, default first)} of the known ones, for other contexts'
    lists and details: one query (the stores LEFT JOIN their points)."""
    wanted = {str(i) for i in ids}
    if not wanted:
        return {}
    points = [f"pickup_points__{name}" for name in POINT_FIELDS]
    rows = (
        Store.objects.filter(pk__in=wanted)
        .order_by("id", "-pickup_points__is_default", "pickup_points__created_at", "pickup_points__id")
        .values_list(*SUMMARY_FIELDS, *points)
    )
    found: dict[str, tuple[StoreSummary, list[PickupPointInfo]]] = {}
    for row in rows:
        summary = dict(zip(SUMMARY_FIELDS, row[: len(SUMMARY_FIELDS)], strict=True))
        store_id = summary["id"]
        if store_id not in found:
            found[store_id] = (StoreSummary(**summary), [])
        point = dict(zip(POINT_FIELDS, row[len(SUMMARY_FIELDS) :], strict=True))
        if point["id"] is not None:
            found[store_id][1].append(
                PickupPointInfo(
                    id=point["id"],
                    store_id=store_id,
                    name=point["name"],
                    address={name: point[name] for name in ADDRESS_FIELDS},
                    is_default=point["is_default"],
                )
            )
    return found


def stores_opened_by_day(*, since: datetime, until: datetime, tz: tzinfo) -> dict[date, int]:
    """{local day: stores created that day} in [since, until), for the operators' dashboard; one query."""
    rows = (
        Store.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(opened=Count("id"))
        .order_by("day")
    )
    return {row["day"]: row["opened"] for row in rows}
