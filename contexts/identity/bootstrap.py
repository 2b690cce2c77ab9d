"""Identity's use cases with their adapters bound by parameter name; the bff, admin and store call these."""

from django.conf import settings

from contexts.identity import services
from contexts.identity.adapters.clients import IntegrationSmsGateway, IntegrationWeChatLogin
from contexts.identity.adapters.orm import DjangoIdentityUow
from contexts.identity.adapters.runtime import CacheRateLimiter
from contexts.shared.adapters.clock import DjangoClock
from contexts.shared.bootstrap import bind

globals().update(
    bind(
        services,
        uow=DjangoIdentityUow,
        wechat=IntegrationWeChatLogin,
        sms=IntegrationSmsGateway,
        limiter=CacheRateLimiter,
        clock=DjangoClock,
        token_ttl_seconds=lambda: settings.API_TOKEN_TTL_SECONDS,
    )
)
