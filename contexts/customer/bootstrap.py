"""customer's use cases with their adapters bound by parameter name; tasks and the bff call these."""

from contexts.customer import services
from contexts.customer.adapters.orm import DjangoCustomerUow
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_access, store_directory, user_directory

globals().update(
    bind(
        services,
        uow=DjangoCustomerUow,
        clock=DjangoClock,
        users=user_directory,
        stores=store_directory,
        access=store_access,
    )
)
