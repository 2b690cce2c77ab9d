"""Production settings read every credential from the environment and refuse to start, naming
what is missing, when the sandbox is off and one is not there."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.support.wechatpay import FakeWeChatPay

SETTINGS = Path(__file__).resolve().parents[2] / "groupbuy" / "settings.py"
REQUIRED = [
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHATPAY_MCH_ID",
    "WECHATPAY_CERT_SERIAL_NO",
    "WECHATPAY_PRIVATE_KEY_PATH",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_NOTIFY_URL",
    "TENCENT_SMS_SECRET_ID",
    "TENCENT_SMS_SECRET_KEY",
    "TENCENT_SMS_SDK_APP_ID",
    "TENCENT_SMS_SIGN_NAME",
    "WECHAT_TEMPLATE_ORDER_PAID",
    "WECHAT_TEMPLATE_ORDER_COMPLETED",
    "WECHAT_TEMPLATE_ORDER_REFUNDED",
    "WECHAT_TEMPLATE_ORDER_REMINDER",
    "WECHAT_TEMPLATE_SETTLEMENT_COMPLETED",
    "TENCENT_SMS_TEMPLATE_BIND_PHONE",
    "TENCENT_SMS_TEMPLATE_CREATE_STORE",
]
KEYS = ["WECHATPAY_PUBLIC_KEY_ID", "WECHATPAY_PUBLIC_KEY_PATH", "WECHATPAY_PLATFORM_CERT_PATHS"]


def load(monkeypatch, **env) -> dict:
    """settings.py as a production process reads it, with only `env` set of the integrations'."""
    for name in [*REQUIRED, *KEYS, "GROUPBUY_SANDBOX"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "k" * 50)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def complete(tmp_path) -> dict:
    """Every credential, with key files that read as keys (made by the fake WeChat Pay)."""
    keys = FakeWeChatPay().settings(tmp_path, "https://shop.example/api/v1/payments/notify")
    env = {name: f"value-of-{name.lower()}" for name in REQUIRED}
    return env | {
        "WECHATPAY_PRIVATE_KEY_PATH": keys["WECHATPAY_PRIVATE_KEY_PATH"],
        "WECHATPAY_APIV3_KEY": "a" * 32,
        "WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_0114232134912410000000000000",
        "WECHATPAY_PUBLIC_KEY_PATH": keys["WECHATPAY_PUBLIC_KEY_PATH"],
    }


def test_production_without_credentials_refuses_to_start_naming_each_missing_one(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:
        load(monkeypatch)
    message = str(refused.value)
    assert message.startswith("GROUPBUY_SANDBOX is off, so the real WeChat, WeChat Pay and Tencent Cloud SMS")
    assert [name for name in REQUIRED if name not in message] == []
    assert (
        "WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY_PATH (or WECHATPAY_PLATFORM_CERT_PATHS)" in message
    )


def test_production_with_every_credential_starts_with_the_production_adapters(monkeypatch, tmp_path):
    values = load(monkeypatch, **complete(tmp_path))
    assert values["GROUPBUY_SANDBOX"] is False
    assert values["WECHAT_SUBSCRIBE_TEMPLATE_IDS"]["order_paid"] == "value-of-wechat_template_order_paid"
    assert values["TENCENT_SMS_TEMPLATE_IDS"] == {
        "bind_phone": "value-of-tencent_sms_template_bind_phone",
        "create_store": "value-of-tencent_sms_template_create_store",
    }


def test_one_missing_credential_a_key_file_not_there_or_a_short_apiv3_key_is_named(monkeypatch, tmp_path):
    env = complete(tmp_path) | {"TENCENT_SMS_SECRET_KEY": "", "WECHATPAY_APIV3_KEY": "short"}
    env["WECHATPAY_PUBLIC_KEY_PATH"] = str(tmp_path / "gone.pem")
    with pytest.raises(ImproperlyConfigured) as refused:
        load(monkeypatch, **env)
    assert str(refused.value).endswith(
        "these settings are missing: TENCENT_SMS_SECRET_KEY; WECHATPAY_APIV3_KEY (32 characters); "
        f"WECHATPAY_PUBLIC_KEY_PATH (no file {tmp_path / 'gone.pem'})"
    )


def test_a_key_file_that_does_not_read_as_its_key_is_named_at_the_start(monkeypatch, tmp_path):
    # given a truncated private key and a certificate where the public key should be
    env = complete(tmp_path)
    Path(env["WECHATPAY_PRIVATE_KEY_PATH"]).write_text("-----BEGIN PRIVATE KEY-----\n")
    env["WECHATPAY_PUBLIC_KEY_PATH"] = str(tmp_path / "wechatpay_platform.pem")
    # when production starts, then it refuses, naming both files
    with pytest.raises(ImproperlyConfigured) as refused:
        load(monkeypatch, **env)
    key, cert = env["WECHATPAY_PRIVATE_KEY_PATH"], tmp_path / "wechatpay_platform.pem"
    assert str(refused.value).endswith(
        f"these settings are missing: WECHATPAY_PRIVATE_KEY_PATH ({key} is not a PEM private key);"
        f" WECHATPAY_PUBLIC_KEY_PATH ({cert} is not a PEM public key)"
    )


def test_platform_certificates_may_stand_for_the_public_key(monkeypatch, tmp_path):
    cert = tmp_path / "wechatpay_platform.pem"  # written by complete()
    env = complete(tmp_path) | {"WECHATPAY_PUBLIC_KEY_ID": "", "WECHATPAY_PUBLIC_KEY_PATH": ""}
    values = load(monkeypatch, **env, WECHATPAY_PLATFORM_CERT_PATHS=str(cert))
    assert values["WECHATPAY_PLATFORM_CERT_PATHS"] == [str(cert)]


def test_the_sandbox_needs_no_credential_and_stays_the_default_of_development(monkeypatch):
    assert load(monkeypatch, GROUPBUY_SANDBOX="1")["GROUPBUY_SANDBOX"] is True
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    monkeypatch.delenv("GROUPBUY_SANDBOX")
    assert runpy.run_path(str(SETTINGS))["GROUPBUY_SANDBOX"] is True
