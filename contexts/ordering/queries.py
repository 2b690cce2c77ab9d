"""Read side of ordering: orders and carts as contracts, a fixed number of queries per page."""

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet, Sum

from contexts.ordering import contracts, models
from contexts.ordering.adapters import clients
from contexts.ordering.domain.model import COUNTED_STATUSES, STATUSES
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.domain.errors import InvalidInput, NotFound

VIEW_ORDERS = "orders.view"


def order_view(row: models.Order, viewer_id: str | None) -> contracts.OrderView:
    lines = tuple(
        contracts.OrderLineView(
            goods_id=line.goods_id,
            solitaire_item_id=line.solitaire_item_id,
            name=line.name,
            image_url=line.image_url,
            price_fen=line.price_fen,
            quantity=line.quantity,
            subtotal_fen=line.subtotal_fen,
        )
        for line in row.lines.all()  # prefetched, ordered by position
    )
    return contracts.OrderView(
        id=row.pk,
        order_no=row.order_no,
        store_id=row.store_id,
        solitaire_id=row.solitaire_id,
        resale_id=row.resale_id,
        customer_id=row.customer_id,
        status=row.status,
        lines=lines,
        total_fen=row.total_fen,
        pickup={
            "method": row.pickup_method,
            "pickup_point_id": row.pickup_point_id,
            "address": row.pickup_address,
        },
        contact={"name": row.contact_name, "phone": row.contact_phone},
        remark=row.remark,
        sequence_no=row.sequence_no,
        pickup_code=row.pickup_code if viewer_id is not None and viewer_id == row.customer_id else None,
        created_at=row.created_at,
        expires_at=row.expires_at,
        paid_at=row.paid_at,
        completed_at=row.completed_at,
        cancelled_at=row.cancelled_at,
        refunded_at=row.refunded_at,
        refund_reason=row.refund_reason,
    )


def _orders() -> QuerySet:
    return models.Order.objects.prefetch_related(
        Prefetch("lines", queryset=models.OrderLine.objects.order_by("position"))
    )


def order_for_viewer(*, order_id: str, viewer_id: str | None) -> contracts.OrderView:
    """Its customer, or staff of its store; everyone else is told it does not exist."""
    row = _orders().filter(pk=str(order_id)).first()
    if row is None:
        raise NotFound("No such order.")
    if viewer_id != row.customer_id and clients.role_of(viewer_id, row.store_id) is None:
        raise NotFound("No such order.")
    return order_view(row, viewer_id)


def order_by_idempotency_key(customer_id: str, key: str) -> contracts.OrderView | None:
    row = _orders().filter(customer_id=customer_id, idempotency_key=key).first()
    return order_view(row, customer_id) if row else None


def _check_status(status: Any) -> None:
    if status and status not in STATUSES:
        raise InvalidInput("Unknown status.", fields={"status": [f"Must be one of: {', '.join(STATUSES)}."]})


def my_orders(*, customer_id: str, status: str | None = None) -> ContractPage:
    _check_status(status)
    rows = _orders().filter(customer_id=customer_id)
    if status:
        rows = rows.filter(status=status)
    return ContractPage.each(
        rows.order_by("-created_at", "-order_no"), lambda row: order_view(row, customer_id)
    )


class StoreOrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[(s, s) for s in STATUSES])
    solitaire_id = django_filters.CharFilter()
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = models.Order
        fields = ["status", "solitaire_id", "created_after", "created_before", "search"]

    def filter_search(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(order_no__icontains=value)
            | Q(contact_name__icontains=value)
            | Q(contact_phone__icontains=value)
        )


def store_orders(*, store_id: str, viewer_id: str | None, params: Mapping[str, Any]) -> ContractPage:
    """Staff with "orders.view" only (403 otherwise); a bad filter is 400 with its fields."""
    clients.authorize(viewer_id, store_id, VIEW_ORDERS)
    filters = StoreOrderFilter(data=params, queryset=_orders().filter(store_id=store_id))
    if not filters.is_valid():
        raise InvalidInput("The filters are invalid.", fields={k: list(v) for k, v in filters.errors.items()})
    # Staff never see pickup codes: the customer shows it at the counter.
    return ContractPage.each(
        filters.qs.order_by("-created_at", "-order_no"), lambda row: order_view(row, None)
    )


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
