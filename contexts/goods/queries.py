"""Read side of goods: rows -> contracts, a fixed number of queries per call."""

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from contexts.goods import contracts, models
from contexts.goods.adapters.orm import goods_from_row
from contexts.goods.mappers import goods_view
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.bootstrap import store_access, store_directory
from contexts.shared.domain.errors import InvalidInput, NotFound
from contexts.shared.domain.text import N_

ORDERINGS = {
    "price_fen": ("price_fen", "-created_at", "id"),
    "-price_fen": ("-price_fen", "-created_at", "id"),
    "-sales": ("-sales", "-created_at", "id"),
    "-created_at": ("-created_at", "id"),
}
DEFAULT_ORDERING = "-created_at"


def _view(row: models.Goods) -> contracts.GoodsView:
    return goods_view(goods_from_row(row))


class GoodsFilter(django_filters.FilterSet):
    """GET /stores/{id}/goods: ?search=&category=&status=&ordering=."""

    search = django_filters.CharFilter(method="filter_search", max_length=100)
    category = django_filters.CharFilter(field_name="category_id", max_length=36)
    status = django_filters.ChoiceFilter(choices=models.Goods.Status.choices)
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in ORDERINGS], method="filter_ordering"
    )

    class Meta:
        model = models.Goods
        fields = ["search", "category", "status", "ordering"]

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS[DEFAULT_ORDERING]))


def filter_goods(store_id: str, params: Mapping[str, Any], include_all: bool) -> ContractPage:
    """The goods of a store after the list's filters. Without include_all (non-staff) only
    on-sale goods exist, so even ?status=off_shelf finds nothing. Bad parameters: InvalidInput."""
    queryset = models.Goods.objects.filter(store_id=store_id).order_by(*ORDERINGS[DEFAULT_ORDERING])
    if not include_all:
        queryset = queryset.filter(status=models.Goods.Status.ON_SALE)
    filterset = GoodsFilter(data=params, queryset=queryset)
    if not filterset.is_valid():
        raise InvalidInput(
            N_("Invalid filter."),
            fields={key: [str(m) for m in messages] for key, messages in filterset.errors.items()},
        )
    return ContractPage.each(filterset.qs, _view)


def store_goods(*, store_id: str, viewer_id: str | None, params: Mapping[str, Any]) -> ContractPage:
    """The list as the viewer may see it: staff of the store see every goods, others on-sale only."""
    store_directory().require(store_id)
    is_staff = store_access().role_of(user_id=viewer_id, store_id=store_id) is not None
    return filter_goods(store_id, params, include_all=is_staff)


def goods_detail(goods_id: str) -> contracts.GoodsView:
    row = models.Goods.objects.filter(pk=str(goods_id)).first()
    if row is None:
        raise NotFound(N_("No such goods."))
    return _view(row)


def goods_for_viewer(*, goods_id: str, viewer_id: str | None) -> contracts.GoodsView:
    """Off-shelf goods exist only for their store's staff; for anyone else they are 404."""
    goods = goods_detail(goods_id)
    off_shelf = goods.status != models.Goods.Status.ON_SALE
    if off_shelf and store_access().role_of(user_id=viewer_id, store_id=goods.store_id) is None:
        raise NotFound(N_("No such goods."))
    return goods


def categories(store_id: str) -> list[contracts.CategoryView]:
    store_directory().require(store_id)
    return [
        contracts.CategoryView(id=row.id, store_id=row.store_id, name=row.name, sort=row.sort)
        for row in models.Category.objects.filter(store_id=store_id).order_by("sort", "name")
    ]


def hot_words(store_id: str) -> list[contracts.HotWordView]:
    store_directory().require(store_id)
    return [
        contracts.HotWordView(word=word, sort=sort)
        for word, sort in models.HotWord.objects.filter(store_id=store_id)
        .order_by("sort", "word")
        .values_list("word", "sort")
    ]


def snapshots(goods_ids: Iterable[str], *, store_id: str | None = None) -> dict[str, contracts.GoodsSnapshot]:
    """Snapshots of many goods in one query, keyed by goods id; unknown ids (or goods of another
    store when `store_id` is given) are simply absent. Off-shelf goods are included: the
    caller decides (see services.snapshot_goods for the single, checked form)."""
    rows = models.Goods.objects.filter(pk__in=[str(goods_id) for goods_id in goods_ids])
    if store_id is not None:
        rows = rows.filter(store_id=store_id)
    now = timezone.now()
    return {
        row.id: contracts.GoodsSnapshot(
            goods_id=row.id,
            store_id=row.store_id,
            name=row.name,
            price_fen=row.price_fen,
            image_url=(row.image_urls or [""])[0],
            taken_at=now,
        )
        for row in rows
    }


def goods_statuses(goods_ids: Iterable[str]) -> dict[str, str]:
    """{goods_id: "on_sale"|"off_shelf"} in one query, for callers checking many goods at once."""
    return dict(models.Goods.objects.filter(pk__in=[str(g) for g in goods_ids]).values_list("id", "status"))
