"""The three fake vendors at once, with the settings of production pointed at them (the
sandbox off): what a test needs to run the production adapters end to end."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.tencent_sms import FakeTencentSms
from tests.support.wechat import FakeWeChat
from tests.support.wechatpay import FakeWeChatPay

NOTIFY_PATH = "/api/v1/payments/notify"


@dataclass
class Vendors:
    wechat: FakeWeChat
    wechatpay: FakeWeChatPay
    sms: FakeTencentSms

    def secrets(self) -> list[str]:
        """Every credential the server holds: none may ever appear in a log."""
        return [
            self.wechat.app_secret,
            self.wechatpay.apiv3_key,
            self.sms.secret_id,
            self.sms.secret_key,
            *self.wechat.tokens,
        ]


@contextmanager
def production_vendors(
    settings, folder: Path, *, notify_url: str = f"http://testserver{NOTIFY_PATH}"
) -> Iterator[Vendors]:
    """Start the fakes and switch `settings` (pytest-django's fixture) to production adapters."""
    with FakeWeChat() as wechat, FakeWeChatPay() as wechatpay, FakeTencentSms() as sms:
        values = {**wechat.settings(), **wechatpay.settings(folder, notify_url), **sms.settings()}
        for name, value in values.items():
            setattr(settings, name, value)
        settings.GROUPBUY_SANDBOX = False
        yield Vendors(wechat=wechat, wechatpay=wechatpay, sms=sms)
