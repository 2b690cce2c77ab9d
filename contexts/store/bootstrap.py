"""Store's use cases with their adapters bound by parameter name; the bff, admin and tasks call these."""

from django.conf import settings

from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind, store_access
from contexts.store import services
from contexts.store.adapters.clients import IdentitySmsCodeVerifier
from contexts.store.adapters.orm import DjangoStoreUow

globals().update(
    bind(
        services,
        uow=DjangoStoreUow,
        sms=IdentitySmsCodeVerifier,
        access=store_access,
        clock=DjangoClock,
        default_url=lambda: settings.DEFAULT_DOOR_IMAGE_URL,
    )
)
