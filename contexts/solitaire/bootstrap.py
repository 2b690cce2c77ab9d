"""The one place building solitaire's concrete adapters; the bff, tasks and other contexts'
clients call these functions. Writes the bff shows afterwards return the API's view."""

from typing import Any

from contexts.solitaire import contracts, queries, services
from contexts.solitaire.adapters.clients import GoodsQueries, OrderingClient, StaffQueries, StoreQueries
from contexts.solitaire.adapters.orm import DjangoClock, DjangoSolitaireUow

clock = DjangoClock()


def create_solitaire(*, actor_id: str, **fields: Any) -> contracts.SolitaireView:
    solitaire_id = services.create_solitaire(
        uow=DjangoSolitaireUow(),
        stores=StoreQueries(),
        staff=StaffQueries(),
        goods=GoodsQueries(),
        clock=clock,
        actor_id=actor_id,
        **fields,
    )
    return queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=actor_id)


def update_solitaire(*, actor_id: str, solitaire_id: str, **changes: Any) -> contracts.SolitaireView:
    services.update_solitaire(
        uow=DjangoSolitaireUow(),
        stores=StoreQueries(),
        staff=StaffQueries(),
        goods=GoodsQueries(),
        actor_id=actor_id,
        solitaire_id=solitaire_id,
        **changes,
    )
    return queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=actor_id)


def publish_solitaire(*, actor_id: str, solitaire_id: str) -> contracts.SolitaireView:
    services.publish_solitaire(
        uow=DjangoSolitaireUow(),
        stores=StoreQueries(),
        staff=StaffQueries(),
        actor_id=actor_id,
        solitaire_id=solitaire_id,
    )
    return queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=actor_id)


def close_solitaire(*, actor_id: str, solitaire_id: str) -> contracts.SolitaireView:
    services.close_solitaire(
        uow=DjangoSolitaireUow(),
        staff=StaffQueries(),
        clock=clock,
        actor_id=actor_id,
        solitaire_id=solitaire_id,
    )
    return queries.solitaire_detail(solitaire_id=solitaire_id, viewer_id=actor_id)


def close_by_operator(*, solitaire_ids: list[str]) -> int:
    return services.close_by_operator(uow=DjangoSolitaireUow(), clock=clock, solitaire_ids=solitaire_ids)


def join_solitaire(
    *,
    customer_id: str,
    solitaire_id: str,
    resale_id: str | None = None,
    lines: list[tuple[str, int]],
    pickup: Any,
    contact: Any,
    remark: str = "",
    idempotency_key: str | None = None,
) -> Any:
    """Ordering's OrderView of the new (or, for a repeated Idempotency-Key, the first) order."""
    return services.join_solitaire(
        uow=DjangoSolitaireUow(),
        stores=StoreQueries(),
        ordering=OrderingClient(),
        clock=clock,
        customer_id=customer_id,
        solitaire_id=solitaire_id,
        resale_id=resale_id,
        lines=lines,
        pickup=pickup,
        contact=contact,
        remark=remark,
        idempotency_key=idempotency_key,
    )


def add_item_to_cart(*, customer_id: str, solitaire_item_id: str, quantity: int) -> Any:
    """Ordering's CartLineView of the line priced by the item's snapshot."""
    return services.add_item_to_cart(
        uow=DjangoSolitaireUow(),
        stores=StoreQueries(),
        ordering=OrderingClient(),
        clock=clock,
        customer_id=customer_id,
        solitaire_item_id=solitaire_item_id,
        quantity=quantity,
    )


def record_participation(**kw: Any) -> bool:
    return services.record_participation(uow=DjangoSolitaireUow(), **kw)


def release_order_stock(**kw: Any) -> bool:
    return services.release_order_stock(uow=DjangoSolitaireUow(), clock=clock, **kw)
