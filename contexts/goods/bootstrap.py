"""Goods' use cases with their adapters bound by parameter name; the bff, admin, tasks and
other contexts' clients call these."""

from contexts.goods import services
from contexts.goods.adapters.orm import DjangoGoodsUnitOfWork
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_access, store_directory

globals().update(
    bind(services, uow=DjangoGoodsUnitOfWork, clock=DjangoClock, stores=store_directory, access=store_access)
)
