"""WeChat's server API with the sandbox off, against a fake WeChat: the access token of
/cgi-bin/token cached (in this process and, through Redis, across processes), refreshed before
it expires and fetched again when WeChat calls it stale; subscribe messages and their errcodes."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache

from contexts.integration import bootstrap
from contexts.integration.adapters.wechat import AccessTokens, WeChatApi, WeChatSubscribeMessageSender
from contexts.integration.contracts import MessageNotSent, SubscribeMessage
from tests.support.wechat import FakeWeChat

ROOT = Path(__file__).resolve().parents[2]
OPENID = "o-customer-cindy"
REDIS_DB_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def wechat(settings):
    with FakeWeChat() as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.GROUPBUY_SANDBOX = False
        yield fake


def message(template: str = "order_paid") -> SubscribeMessage:
    data = {
        "character_string1": {"value": "20250301100000123456"},
        "thing2": {"value": "幸福小店"},
        "amount3": {"value": "25.60元"},
        "character_string4": {"value": "3"},
    }
    return SubscribeMessage(
        touser=OPENID, template_id="tmpl-paid-0001", page="pages/order/detail?id=1", data=data
    )


def sender() -> WeChatSubscribeMessageSender:
    return WeChatSubscribeMessageSender(bootstrap.wechat_config(), cache)


def test_the_access_token_is_fetched_once_and_reused_until_shortly_before_it_expires(wechat, time_machine):
    wechat.subscribe(OPENID, "order_paid")
    sender().send(message())
    wechat.subscribe(OPENID, "order_paid")
    time_machine.advance(seconds=7200 - 300 - 1)
    sender().send(message())
    assert (len(wechat.tokens), len(wechat.messages)) == (1, 2)
    # when the token is 5 minutes from its end, a new one is fetched before WeChat refuses it
    time_machine.advance(seconds=2)
    wechat.subscribe(OPENID, "order_paid")
    sender().send(message())
    assert (len(wechat.tokens), len(wechat.messages)) == (2, 3)
    tokens = [call.query["access_token"] for call in wechat.calls("/cgi-bin/message/subscribe/send")]
    assert tokens[0] == tokens[1] != tokens[2]


def test_a_token_wechat_calls_stale_is_fetched_again_and_the_message_sent(wechat):
    wechat.subscribe(OPENID, "order_paid")
    AccessTokens(WeChatApi(bootstrap.wechat_config()), cache).get()
    wechat.expire_tokens()  # e.g. another server fetched a new one
    # when
    sender().send(message())
    # then
    assert (len(wechat.tokens), len(wechat.messages)) == (2, 1)
    sent = wechat.messages[0]
    assert (sent["touser"], sent["template_id"], sent["miniprogram_state"], sent["lang"]) == (
        OPENID,
        "tmpl-paid-0001",
        "formal",
        "zh_CN",
    )


@pytest.mark.parametrize(
    ("change", "errcode"),
    [
        ({}, "43101"),  # the user did not allow this message
        ({"template_id": "no-such-template"}, "40037"),
        ({"data": {"thing2": {"value": "幸福小店"}}}, "47003"),
    ],
)
def test_a_message_wechat_refuses_raises_message_not_sent_with_its_errcode(wechat, change, errcode):
    base = message()
    refused = SubscribeMessage(**{**base.__dict__, **change})
    with pytest.raises(MessageNotSent) as error:
        sender().send(refused)
    assert str(error.value).startswith(f"WeChat errcode {errcode}: ")
    assert wechat.messages == []


def test_wechat_unreachable_is_message_not_sent(wechat, settings):
    settings.WECHAT_API_BASE_URL = "http://127.0.0.1:9"
    with pytest.raises(MessageNotSent) as error:
        sender().send(message())
    assert str(error.value) == "WeChat did not answer (wechat_unavailable)"


FETCH_TOKEN = """
import os, time
import django
django.setup()
time.sleep(max(float(os.environ["START_AT"]) - time.time(), 0))  # all at once
from django.core.cache import cache
from contexts.integration import bootstrap
from contexts.integration.adapters.wechat import AccessTokens, WeChatApi
print(AccessTokens(WeChatApi(bootstrap.wechat_config()), cache).get())
"""


def test_processes_share_one_access_token_through_redis():
    """Four web processes want a token at the same moment, then a fifth later: WeChat, which
    takes half a second to answer, issues one."""
    app_id = "wx" + secrets.token_hex(8)  # a key of this test's own in Redis db 6
    with FakeWeChat(app_id=app_id, token_delay=0.5) as wechat:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "groupbuy.settings",
            "REDIS_URL": REDIS_DB_URL,
            "WECHAT_API_BASE_URL": wechat.url,
            "WECHAT_APP_ID": app_id,
            "WECHAT_APP_SECRET": wechat.app_secret,
            "START_AT": str(time.time() + 6),
        }
        try:
            command = [sys.executable, "-c", FETCH_TOKEN]
            at_once = [
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
                for _ in range(4)
            ]
            tokens = [process.communicate(timeout=60)[0].strip() for process in at_once]
            later = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        finally:
            shared = redis.Redis.from_url(REDIS_DB_URL)
            for key in shared.scan_iter(f"*integration:wechat:access_token:{app_id}*"):
                shared.delete(key)
        assert len(wechat.calls("/cgi-bin/token")) == 1
        [issued] = wechat.tokens
        assert tokens == [issued] * 4
        assert later.stdout.strip() == issued
