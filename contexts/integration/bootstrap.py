"""The one place choosing adapters: sandbox ones while settings.GROUPBUY_SANDBOX is true.
The setting is read on every call, so tests can switch the sandbox with override_settings."""

from django.conf import settings

from contexts.integration.contracts import MessageNotSent, SubscribeMessage
from contexts.integration.ports import PaymentGateway, SmsSender, SubscribeMessageSender, WeChatAuth


class NotConfigured(RuntimeError):
    pass


class UnconfiguredSmsSender(SmsSender):
    def send_code(self, phone: str, purpose: str, code: str) -> None:
        raise NotConfigured("No production SMS provider is configured (GROUPBUY_SANDBOX is off).")


class UnconfiguredSubscribeMessageSender(SubscribeMessageSender):
    def send(self, message: SubscribeMessage) -> None:
        # MessageNotSent, not NotConfigured: a notification fails and is shown, it never breaks a caller.
        raise MessageNotSent(
            "No production WeChat subscribe-message sender is configured (GROUPBUY_SANDBOX is off)."
        )


class DjangoAdapters:
    """Installed into services by IntegrationConfig.ready()."""

    def sandbox_on(self) -> bool:
        return bool(settings.GROUPBUY_SANDBOX)

    def wechat(self) -> WeChatAuth:
        if self.sandbox_on():
            from contexts.integration.adapters.sandbox import SandboxWeChatAuth

            return SandboxWeChatAuth()
        from contexts.integration.adapters.wechat import HttpWeChatAuth

        return HttpWeChatAuth(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET)

    def sms_sender(self) -> SmsSender:
        if self.sandbox_on():
            from contexts.integration.adapters.sandbox import SandboxSmsSender

            return SandboxSmsSender()
        return UnconfiguredSmsSender()

    def payment_gateway(self) -> PaymentGateway:
        if self.sandbox_on():
            from contexts.integration.adapters.sandbox import SandboxPaymentGateway

            return SandboxPaymentGateway(settings.PAYMENT_SANDBOX_SECRET)
        raise NotConfigured("No production payment gateway is configured (GROUPBUY_SANDBOX is off).")

    def subscribe_message_sender(self) -> SubscribeMessageSender:
        if self.sandbox_on():
            from contexts.integration.adapters.sandbox import SandboxSubscribeMessageSender

            return SandboxSubscribeMessageSender()
        return UnconfiguredSubscribeMessageSender()
