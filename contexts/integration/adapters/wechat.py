"""Production adapter: WeChat's jscode2session over HTTPS (not reachable from tests)."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from contexts.integration.contracts import WeChatSession
from contexts.integration.ports import WeChatAuth
from contexts.shared.domain.errors import InvalidInput
from contexts.shared.domain.text import N_

log = logging.getLogger(__name__)

CODE2SESSION_URL = "https://api.weixin.qq.com/sns/jscode2session"


class WeChatUnavailable(RuntimeError):
    pass


class HttpWeChatAuth(WeChatAuth):
    def __init__(self, app_id: str, app_secret: str, timeout: float = 5.0) -> None:
        self._app_id = app_id
        self._app_secret = app_secret
        self._timeout = timeout

    def code2session(self, code: str) -> WeChatSession:
        if not code:
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        query = urllib.parse.urlencode(
            {
                "appid": self._app_id,
                "secret": self._app_secret,
                "js_code": code,
                "grant_type": "authorization_code",
            }
        )
        try:
            with urllib.request.urlopen(f"{CODE2SESSION_URL}?{query}", timeout=self._timeout) as response:
                body = json.loads(response.read())
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            log.warning("code2session failed: %s", exc)
            raise WeChatUnavailable("WeChat code2session is unavailable") from exc
        if body.get("errcode") or not body.get("openid"):
            # 40029 invalid code, 40163 code already used, 45011 rate limited ...
            log.info("code2session refused: errcode=%s", body.get("errcode"))
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        return WeChatSession(
            openid=body["openid"],
            unionid=body.get("unionid") or None,
            session_key=body.get("session_key", ""),
        )
