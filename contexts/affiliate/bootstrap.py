"""The one place building affiliate's concrete adapters; tasks and the bff call these."""

from contexts.affiliate import contracts, services
from contexts.affiliate.adapters.orm import DjangoAffiliateUow, DjangoClock


def open_franchise(**kw) -> contracts.PolicyView:
    return services.open_franchise(uow=DjangoAffiliateUow(), clock=DjangoClock(), **kw)


def update_policy(**kw) -> contracts.PolicyView:
    return services.update_policy(uow=DjangoAffiliateUow(), clock=DjangoClock(), **kw)
