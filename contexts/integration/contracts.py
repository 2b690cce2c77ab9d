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
