"""The one place building identity's concrete adapters; the bff calls these functions."""

from django.conf import settings

from contexts.identity import contracts, services
from contexts.identity.adapters.clients import IntegrationSmsGateway, IntegrationWeChatLogin
from contexts.identity.adapters.orm import DjangoIdentityUow
from contexts.identity.adapters.runtime import CacheRateLimiter, DjangoClock


def login_with_wechat(**kw) -> contracts.LoginResult:
    return services.login_with_wechat(
        uow=DjangoIdentityUow(),
        wechat=IntegrationWeChatLogin(),
        clock=DjangoClock(),
        token_ttl_seconds=settings.API_TOKEN_TTL_SECONDS,
        **kw,
    )


def authenticate(**kw) -> contracts.UserInfo | None:
    return services.authenticate(uow=DjangoIdentityUow(), clock=DjangoClock(), **kw)


def revoke_token(**kw) -> bool:
    return services.revoke_token(uow=DjangoIdentityUow(), clock=DjangoClock(), **kw)


def revoke_tokens(**kw) -> int:
    return services.revoke_tokens(uow=DjangoIdentityUow(), clock=DjangoClock(), **kw)


def get_me(**kw) -> contracts.UserInfo:
    return services.get_me(uow=DjangoIdentityUow(), **kw)


def request_sms_code(**kw) -> None:
    return services.request_sms_code(
        uow=DjangoIdentityUow(),
        sms=IntegrationSmsGateway(),
        limiter=CacheRateLimiter(),
        clock=DjangoClock(),
        **kw,
    )


def verify_sms_code(**kw) -> None:
    return services.verify_sms_code(uow=DjangoIdentityUow(), clock=DjangoClock(), **kw)


def bind_phone(**kw) -> contracts.UserInfo:
    return services.bind_phone(uow=DjangoIdentityUow(), clock=DjangoClock(), **kw)
