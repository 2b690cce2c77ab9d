"""Solitaire's use cases with their adapters bound by parameter name; the bff, tasks and the
admin call these."""

from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_access, store_directory
from contexts.solitaire import services
from contexts.solitaire.adapters.clients import AffiliateQueries, GoodsQueries, OrderingServices
from contexts.solitaire.adapters.orm import DjangoSolitaireUow

globals().update(
    bind(
        services,
        uow=DjangoSolitaireUow,
        clock=DjangoClock,
        access=store_access,
        stores=store_directory,
        goods=GoodsQueries,
        ordering=OrderingServices,
        franchises=AffiliateQueries,
    )
)
