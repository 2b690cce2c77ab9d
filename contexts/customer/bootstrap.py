"""The one place building customer's concrete adapters; tasks and the bff call these."""

from contexts.customer import contracts, services
from contexts.customer.adapters.clients import IdentityUsers, StaffQueries, StoreQueries
from contexts.customer.adapters.orm import DjangoClock, DjangoCustomerUow

clock = DjangoClock()


def count_paid_order(**kw) -> bool:
    return services.count_paid_order(uow=DjangoCustomerUow(), users=IdentityUsers(), clock=clock, **kw)


def uncount_refunded_order(**kw) -> bool:
    return services.uncount_refunded_order(uow=DjangoCustomerUow(), clock=clock, **kw)


def edit_customer(**kw) -> contracts.CustomerView:
    return services.edit_customer(
        uow=DjangoCustomerUow(), stores=StoreQueries(), staff=StaffQueries(), clock=clock, **kw
    )
