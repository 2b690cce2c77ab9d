"""Read side of ordering: orders and carts as contracts, a fixed number of queries per page."""

from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from itertools import islice

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from contexts.ordering import contracts, models
from contexts.ordering.adapters.orm import order_to_domain
from contexts.ordering.domain.model import COMPLETED, COUNTED_STATUSES, PAID, REFUNDED
from contexts.ordering.mappers import order_view
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.bootstrap import store_access
from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.text import N_

VIEW_ORDERS = "orders.view"


def _view(row: models.Order, viewer_id: str | None) -> contracts.OrderView:
    """One representation of an order: the row as the aggregate, shown as the use cases show it."""
    return order_view(order_to_domain(row), viewer_id=viewer_id)


def _orders() -> QuerySet:
    return models.Order.objects.prefetch_related(
        Prefetch("lines", queryset=models.OrderLine.objects.order_by("position"))
    )


def order_for_viewer(*, order_id: str, viewer_id: str | None) -> contracts.OrderView:
    """Its customer, or staff of its store; everyone else is told it does not exist."""
    row = _orders().filter(pk=str(order_id)).first()
    if row is None:
        raise NotFound(N_("No such order."))
    if (
        viewer_id != row.customer_id
        and store_access().role_of(user_id=viewer_id, store_id=row.store_id) is None
    ):
        raise NotFound(N_("No such order."))
    return _view(row, viewer_id)


def my_orders(*, customer_id: str, status: str | None = None) -> ContractPage:
    rows = _orders().filter(customer_id=customer_id)
    if status:
        rows = rows.filter(status=status)
    return ContractPage.each(rows.order_by("-created_at", "-order_no"), lambda row: _view(row, customer_id))


def store_orders(
    *,
    store_id: str,
    viewer_id: str | None,
    status: str | None = None,
    solitaire_id: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    search: str = "",
) -> ContractPage:
    """Staff with "orders.view" only (403 otherwise); the filters come checked by the caller."""
    store_access().authorize(user_id=viewer_id, store_id=store_id, operation=VIEW_ORDERS)
    rows = _orders().filter(store_id=store_id)
    if status:
        rows = rows.filter(status=status)
    if solitaire_id:
        rows = rows.filter(solitaire_id=solitaire_id)
    if created_after:
        rows = rows.filter(created_at__gte=created_after)
    if created_before:
        rows = rows.filter(created_at__lt=created_before)
    if search.strip():
        term = search.strip()
        rows = rows.filter(
            Q(order_no__icontains=term) | Q(contact_name__icontains=term) | Q(contact_phone__icontains=term)
        )
    # Staff never see pickup codes: the customer shows it at the counter.
    return ContractPage.each(rows.order_by("-created_at", "-order_no"), lambda row: _view(row, None))


def quantities_ordered(*, customer_id: str, solitaire_item_ids: Iterable[str]) -> dict[str, int]:
    """Per solitaire item, the quantity in the customer's pending, paid and completed orders
    (the per-customer limit counts them all). One query; items never ordered are absent."""
    wanted = [str(i) for i in solitaire_item_ids]
    if not wanted:
        return {}
    rows = (
        models.OrderLine.objects.filter(
            order__customer_id=customer_id, order__status__in=COUNTED_STATUSES, solitaire_item_id__in=wanted
        )
        .values("solitaire_item_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["solitaire_item_id"]: row["total"] for row in rows}


def resale_totals(resale_ids: Iterable[str]) -> dict[str, contracts.ResaleTotals]:
    """Per resale, its paid and completed orders and their commissions. One query; a resale
    without such orders is absent."""
    wanted = [str(i) for i in resale_ids]
    if not wanted:
        return {}
    rows = (
        models.Order.objects.filter(resale_id__in=wanted, status__in=(PAID, COMPLETED))
        .values("resale_id")
        .annotate(order_count=Count("id"), commission_fen=Sum("commission_fen"))
    )
    return {
        row["resale_id"]: contracts.ResaleTotals(
            order_count=row["order_count"], commission_fen=row["commission_fen"]
        )
        for row in rows
    }


def cart(*, customer_id: str, store_id: str) -> contracts.CartView:
    """The customer's cart in that store (empty when none was opened). One query."""
    rows = models.CartLine.objects.filter(cart__customer_id=customer_id, cart__store_id=store_id).order_by(
        "created_at", "id"
    )
    lines = tuple(
        contracts.CartLineView(
            id=row.pk,
            goods_id=row.goods_id,
            solitaire_item_id=row.solitaire_item_id,
            name=row.name,
            image_url=row.image_url,
            price_fen=row.price_fen,
            quantity=row.quantity,
            subtotal_fen=row.price_fen * row.quantity,
        )
        for row in rows
    )
    return contracts.CartView(
        store_id=store_id, lines=lines, total_fen=sum(line.subtotal_fen for line in lines)
    )


EXPORT_ORDERS = "orders.export"
EXPORT_CHUNK = 500
EXPORTED_STATUSES = (PAID, COMPLETED, REFUNDED)  # every order that was paid at some time
_EXPORT_FIELDS = (
    "id",
    "order_no",
    "customer_id",
    "sequence_no",
    "contact_name",
    "contact_phone",
    "total_fen",
    "status",
    "pickup_method",
    "pickup_point_id",
    "pickup_address",
    "paid_at",
)


def export_orders(
    *, store_id: str, viewer_id: str | None, solitaire_id: str | None = None
) -> Iterator[list[contracts.ExportedOrder]]:
    """The store's paid, completed and refunded orders for its owner and managers (403
    otherwise, checked before the first chunk is read), by solitaire, sequence number and
    payment time (orders outside a solitaire last), in chunks read lazily: two queries per
    chunk (the orders, their lines) whatever the export's size."""
    store_access().authorize(user_id=viewer_id, store_id=store_id, operation=EXPORT_ORDERS)
    orders = models.Order.objects.filter(store_id=str(store_id), status__in=EXPORTED_STATUSES)
    if solitaire_id is not None:
        orders = orders.filter(solitaire_id=str(solitaire_id))
    orders = orders.order_by(
        F("solitaire_id").asc(nulls_last=True),
        F("sequence_no").asc(nulls_last=True),
        F("paid_at").asc(nulls_last=True),
        "order_no",
    ).values(*_EXPORT_FIELDS)
    return _export_chunks(orders.iterator(chunk_size=EXPORT_CHUNK))


def _export_chunks(stream) -> Iterator[list[contracts.ExportedOrder]]:
    while chunk := list(islice(stream, EXPORT_CHUNK)):
        items: dict[str, list[tuple[str, int]]] = {order["id"]: [] for order in chunk}
        lines = (
            models.OrderLine.objects.filter(order_id__in=list(items))
            .order_by("order_id", "position")
            .values_list("order_id", "name", "quantity")
        )
        for order_id, name, quantity in lines:
            items[order_id].append((name, quantity))
        yield [contracts.ExportedOrder(**order, items=tuple(items[order["id"]])) for order in chunk]


# ---- The operators' dashboard: a fixed number of queries, however many days or stores.


def _paid_between(since: datetime, until: datetime) -> QuerySet:
    return models.Order.objects.filter(paid_at__gte=since, paid_at__lt=until)


def sales(*, since: datetime, until: datetime) -> contracts.Sales:
    """GMV, paid orders and distinct paying customers of orders paid in [since, until)."""
    row = _paid_between(since, until).aggregate(
        gmv_fen=Sum("total_fen", default=0),
        paid_orders=Count("id"),
        participants=Count("customer_id", distinct=True),
    )
    return contracts.Sales(**row)


def sales_by_day(*, since: datetime, until: datetime, tz: tzinfo) -> list[contracts.DailySales]:
    """The same per local day (in `tz`), days without a payment left out; one query."""
    rows = (
        _paid_between(since, until)
        .annotate(day=TruncDate("paid_at", tzinfo=tz))
        .values("day")
        .annotate(
            gmv_fen=Sum("total_fen"),
            paid_orders=Count("id"),
            participants=Count("customer_id", distinct=True),
        )
        .order_by("day")
    )
    return [contracts.DailySales(**row) for row in rows]


def refunds_by_day(*, since: datetime, until: datetime, tz: tzinfo) -> list[contracts.DailyRefunds]:
    """Refunds made in [since, until) per local day: how many and how much went back; one query."""
    rows = (
        models.Refund.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(refunds=Count("id"), amount_fen=Sum("amount_fen"))
        .order_by("day")
    )
    return [contracts.DailyRefunds(**row) for row in rows]


def top_stores(*, since: datetime, until: datetime, limit: int) -> list[contracts.StoreSales]:
    """The stores with the most GMV paid in [since, until), best first; one query."""
    rows = (
        _paid_between(since, until)
        .values("store_id")
        .annotate(gmv_fen=Sum("total_fen"), paid_orders=Count("id"))
        .order_by("-gmv_fen", "store_id")[:limit]
    )
    return [contracts.StoreSales(**row) for row in rows]


def order_numbers(order_ids: Iterable[str]) -> dict[str, str]:
    """{order id: order number} of the known ones; one query."""
    return dict(models.Order.objects.filter(pk__in=list(order_ids)).values_list("id", "order_no"))
