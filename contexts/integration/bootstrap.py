"""The one place choosing integration's adapters: the sandbox ones while settings.GROUPBUY_SANDBOX
is on, else WeChat, WeChat Pay API v3 and Tencent Cloud SMS configured from settings. Settings
are read on every call, so tests can switch with override_settings (and point the production
adapters at local servers)."""

from django.conf import settings
from django.core.cache import cache

from contexts.integration.adapters import sandbox
from contexts.integration.adapters.tencent_sms import TencentSmsConfig, TencentSmsSender
from contexts.integration.adapters.wechat import HttpWeChatAuth, WeChatConfig, WeChatSubscribeMessageSender
from contexts.integration.adapters.wechatpay import WeChatPayConfig, WeChatPayGateway
from contexts.integration.ports import PaymentGateway, SmsSender, SubscribeMessageSender, WeChatAuth


def wechat_config() -> WeChatConfig:
    return WeChatConfig(
        app_id=settings.WECHAT_APP_ID,
        app_secret=settings.WECHAT_APP_SECRET,
        base_url=settings.WECHAT_API_BASE_URL,
        miniprogram_state=settings.WECHAT_MINIPROGRAM_STATE,
        timeout_seconds=settings.INTEGRATION_TIMEOUT_SECONDS,
    )


def wechatpay_config() -> WeChatPayConfig:
    return WeChatPayConfig(
        app_id=settings.WECHAT_APP_ID,
        mch_id=settings.WECHATPAY_MCH_ID,
        cert_serial_no=settings.WECHATPAY_CERT_SERIAL_NO,
        private_key_path=settings.WECHATPAY_PRIVATE_KEY_PATH,
        apiv3_key=settings.WECHATPAY_APIV3_KEY,
        notify_url=settings.WECHATPAY_NOTIFY_URL,
        base_url=settings.WECHATPAY_BASE_URL,
        public_key_id=settings.WECHATPAY_PUBLIC_KEY_ID,
        public_key_path=settings.WECHATPAY_PUBLIC_KEY_PATH,
        platform_cert_paths=tuple(settings.WECHATPAY_PLATFORM_CERT_PATHS),
        notify_max_age_seconds=settings.WECHATPAY_NOTIFY_MAX_AGE_SECONDS,
        timeout_seconds=settings.INTEGRATION_TIMEOUT_SECONDS,
    )


def tencent_sms_config() -> TencentSmsConfig:
    return TencentSmsConfig(
        secret_id=settings.TENCENT_SMS_SECRET_ID,
        secret_key=settings.TENCENT_SMS_SECRET_KEY,
        sdk_app_id=settings.TENCENT_SMS_SDK_APP_ID,
        sign_name=settings.TENCENT_SMS_SIGN_NAME,
        template_ids=dict(settings.TENCENT_SMS_TEMPLATE_IDS),
        region=settings.TENCENT_SMS_REGION,
        endpoint=settings.TENCENT_SMS_ENDPOINT,
        timeout_seconds=max(int(settings.INTEGRATION_TIMEOUT_SECONDS), 1),
    )


class DjangoAdapters:
    """Installed into services by IntegrationConfig.ready()."""

    def sandbox_on(self) -> bool:
        return bool(settings.GROUPBUY_SANDBOX)

    def wechat(self) -> WeChatAuth:
        if self.sandbox_on():
            return sandbox.SandboxWeChatAuth()
        return HttpWeChatAuth(wechat_config())

    def sms_sender(self) -> SmsSender:
        if self.sandbox_on():
            return sandbox.SandboxSmsSender()
        return TencentSmsSender(tencent_sms_config())

    def payment_gateway(self) -> PaymentGateway:
        if self.sandbox_on():
            return sandbox.SandboxPaymentGateway(settings.PAYMENT_SANDBOX_SECRET)
        return WeChatPayGateway(wechatpay_config())

    def subscribe_message_sender(self) -> SubscribeMessageSender:
        if self.sandbox_on():
            return sandbox.SandboxSubscribeMessageSender()
        return WeChatSubscribeMessageSender(wechat_config(), cache)
