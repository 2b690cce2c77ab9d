"""affiliate's use cases with their adapters bound by parameter name; tasks, the admin and the
bff call these."""

from contexts.affiliate import services
from contexts.affiliate.adapters.orm import DjangoAffiliateUow
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_directory

globals().update(bind(services, uow=DjangoAffiliateUow, clock=DjangoClock, stores=store_directory))
