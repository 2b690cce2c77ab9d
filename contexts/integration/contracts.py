"""Published language of the integration context: what its services take and give."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WeChatSession:
    """The answer of WeChat's code2session. `session_key` never leaves the server."""

    openid: str
    unionid: str | None
    session_key: str


@dataclass(frozen=True)
class SentSms:
    phone: str
    purpose: str
    code: str
    sent_at: datetime


@dataclass(frozen=True)
class SubscribeMessage:
    """One WeChat subscribe message, shaped after subscribeMessage.send: `touser` is the
    recipient's openid, `data` maps the template's keys to {"value": str}."""

    touser: str
    template_id: str
    page: str
    data: dict


class MessageNotSent(RuntimeError):
    """WeChat (or the sandbox told to fail) refused or did not take the message."""
