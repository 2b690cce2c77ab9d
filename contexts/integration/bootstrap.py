"""The one place choosing integration's adapters: the sandbox ones while settings.GROUPBUY_SANDBOX
is on. The setting is read on every call, so tests can switch the sandbox with override_settings."""

from django.conf import settings

from contexts.integration.adapters import sandbox
from contexts.integration.adapters.unconfigured import (
    NotConfigured,
    UnconfiguredSmsSender,
    UnconfiguredSubscribeMessageSender,
)
from contexts.integration.adapters.wechat import HttpWeChatAuth
from contexts.integration.ports import PaymentGateway, SmsSender, SubscribeMessageSender, WeChatAuth


class DjangoAdapters:
    """Installed into services by IntegrationConfig.ready()."""

    def sandbox_on(self) -> bool:
        return bool(settings.GROUPBUY_SANDBOX)

    def wechat(self) -> WeChatAuth:
        if self.sandbox_on():
            return sandbox.SandboxWeChatAuth()
        return HttpWeChatAuth(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET)

    def sms_sender(self) -> SmsSender:
        return sandbox.SandboxSmsSender() if self.sandbox_on() else UnconfiguredSmsSender()

    def payment_gateway(self) -> PaymentGateway:
        if not self.sandbox_on():
            raise NotConfigured("No production payment gateway is configured (GROUPBUY_SANDBOX is off).")
        return sandbox.SandboxPaymentGateway(settings.PAYMENT_SANDBOX_SECRET)

    def subscribe_message_sender(self) -> SubscribeMessageSender:
        if self.sandbox_on():
            return sandbox.SandboxSubscribeMessageSender()
        return UnconfiguredSubscribeMessageSender()
