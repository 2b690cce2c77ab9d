"""Read side of customer: a store's customers as contracts, two queries per page whatever
its size (count, then the page), with the search done in the database."""

from django.db.models import F, Q

from contexts.customer import contracts, models
from contexts.shared.adapters.pages import ContractPage
from contexts.shared.bootstrap import store_access, store_directory

VIEW = "customers.view"
SEARCH_MAX = 50


def customer_view(row: models.StoreCustomer) -> contracts.CustomerView:
    return contracts.CustomerView(
        id=row.id,
        store_id=row.store_id,
        user_id=row.user_id,
        nickname=row.nickname,
        phone=row.phone,
        order_count=row.order_count,
        total_spent_fen=row.total_spent_fen,
        first_order_at=row.first_order_at,
        last_order_at=row.last_order_at,
        remark=row.remark,
        tags=tuple(row.tags or ()),
    )


def store_customers(*, store_id: str, viewer_id: str | None, search: str | None = None) -> ContractPage:
    """Staff with "customers.view" (403 otherwise) of an existing store (404 otherwise);
    newest buyers first; `search` matches a nickname or a phone, in part."""
    store_directory().require(store_id)
    store_access().authorize(user_id=viewer_id, store_id=store_id, operation=VIEW)
    rows = models.StoreCustomer.objects.filter(store_id=store_id)
    term = (search or "").strip()[:SEARCH_MAX]
    if term:
        rows = rows.filter(Q(nickname__icontains=term) | Q(phone__icontains=term))
    return ContractPage.each(rows.order_by(F("last_order_at").desc(nulls_last=True), "-id"), customer_view)


def customer_of_store(*, store_id: str, user_id: str) -> contracts.CustomerView | None:
    """The (store, user) customer, or None when that user never paid an order there."""
    row = models.StoreCustomer.objects.filter(store_id=store_id, user_id=user_id).first()
    return customer_view(row) if row else None
