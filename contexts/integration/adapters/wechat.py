"""WeChat's server API (api.weixin.qq.com) for the mini-program: jscode2session (login), the
access token of /cgi-bin/token (cached and shared by every process), subscribe messages.

The app secret and the access token travel in query strings, as WeChat wants them: nothing
here logs a URL, and an HTTP client's error (whose text holds the URL) is never chained into
the exceptions raised."""

import logging
import time
from dataclasses import dataclass

import requests

from contexts.integration.contracts import MessageNotSent, SubscribeMessage, WeChatSession
from contexts.integration.ports import SubscribeMessageSender, WeChatAuth
from contexts.shared.domain.errors import InvalidInput, Throttled, UpstreamFailed
from contexts.shared.domain.text import N_

log = logging.getLogger(__name__)

# errcodes that say something of ours is wrong or WeChat is down, not the user's code:
# -1 system busy, 40013 invalid appid, 40125 invalid appsecret, 41002/41004 appid/secret missing.
UNAVAILABLE_ERRCODES = {-1, 40013, 40125, 41002, 41004}
RATE_LIMITED_ERRCODE = 45011
# The access token is invalid or expired (another process may have fetched a newer one).
STALE_TOKEN_ERRCODES = {40001, 40014, 42001}
CODE_MAX_LENGTH = 128
LOCK_SECONDS = 10
WAIT_FOR_TOKEN_SECONDS = 5.0


@dataclass(frozen=True)
class WeChatConfig:
    app_id: str
    app_secret: str
    base_url: str = "https://api.weixin.qq.com"
    miniprogram_state: str = "formal"
    timeout_seconds: float = 5.0
    token_refresh_margin_seconds: int = 300


class WeChatUnavailable(UpstreamFailed):
    code = "wechat_unavailable"
    default_detail = N_("WeChat did not answer as expected; try again later.")


class WeChatApi:
    def __init__(self, config: WeChatConfig) -> None:
        self.config = config

    def call(self, method: str, path: str, params: dict, json_body: dict | None = None) -> dict:
        """WeChat's JSON answer (errcode included); WeChatUnavailable when there is none."""
        try:
            response = requests.request(
                method,
                self.config.base_url.rstrip("/") + path,
                params=params,
                json=json_body,
                timeout=self.config.timeout_seconds,
            )
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("WeChat %s did not answer: %s", path, type(exc).__name__)
            raise WeChatUnavailable() from None
        if not isinstance(answer, dict):
            raise WeChatUnavailable()
        return answer


class HttpWeChatAuth(WeChatAuth):
    def __init__(self, config: WeChatConfig) -> None:
        self._api = WeChatApi(config)

    def code2session(self, code: str) -> WeChatSession:
        if not isinstance(code, str) or not code.strip() or len(code) > CODE_MAX_LENGTH:
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        config = self._api.config
        answer = self._api.call(
            "GET",
            "/sns/jscode2session",
            {
                "appid": config.app_id,
                "secret": config.app_secret,
                "js_code": code,
                "grant_type": "authorization_code",
            },
        )
        errcode = answer.get("errcode") or 0
        if errcode in UNAVAILABLE_ERRCODES:
            log.error("jscode2session refused the mini-program: errcode=%s", errcode)
            raise WeChatUnavailable()
        if errcode == RATE_LIMITED_ERRCODE:
            raise Throttled(N_("WeChat is limiting logins; try again in a minute."))
        openid = answer.get("openid")
        if errcode or not isinstance(openid, str) or not openid:
            # 40029 invalid code, 40163 code already used, 40226 a blocked user ...
            log.info("jscode2session refused a code: errcode=%s", errcode)
            raise InvalidInput(N_("The WeChat login code is invalid."), code="invalid_wechat_code")
        return WeChatSession(
            openid=openid,
            unionid=answer.get("unionid") or None,
            session_key=str(answer.get("session_key", "")),
        )


class AccessTokens:
    """The mini-program's access token, kept in the cache every process shares (Redis in
    production) until `token_refresh_margin_seconds` before it expires. One process at a time
    fetches a new one (a cache lock); the others wait for it, since each fetch makes the
    previous token die within minutes."""

    def __init__(self, api: WeChatApi, cache) -> None:
        self._api = api
        self._cache = cache
        self._key = f"integration:wechat:access_token:{api.config.app_id}"

    def get(self) -> str:
        token = self._cache.get(self._key)
        if token:
            return token
        if self._cache.add(f"{self._key}:lock", 1, timeout=LOCK_SECONDS):
            try:
                return self._fetch()
            finally:
                self._cache.delete(f"{self._key}:lock")
        deadline = time.monotonic() + WAIT_FOR_TOKEN_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            token = self._cache.get(self._key)
            if token:
                return token
        return self._fetch()  # the fetching process died or WeChat is slow: fetch one ourselves

    def forget(self, token: str) -> None:
        """WeChat called `token` stale: drop it, unless another process already replaced it."""
        if self._cache.get(self._key) == token:
            self._cache.delete(self._key)

    def _fetch(self) -> str:
        config = self._api.config
        answer = self._api.call(
            "GET",
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": config.app_id, "secret": config.app_secret},
        )
        token, expires_in = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int):
            log.error("WeChat gave no access token: errcode=%s", answer.get("errcode"))
            raise WeChatUnavailable()
        lifetime = max(expires_in - config.token_refresh_margin_seconds, 1)
        self._cache.set(self._key, token, timeout=lifetime)
        return token


class WeChatSubscribeMessageSender(SubscribeMessageSender):
    def __init__(self, config: WeChatConfig, cache) -> None:
        self._api = WeChatApi(config)
        self._tokens = AccessTokens(self._api, cache)

    def send(self, message: SubscribeMessage) -> None:
        body = {
            "touser": message.touser,
            "template_id": message.template_id,
            "page": message.page,
            "data": message.data,
            "miniprogram_state": self._api.config.miniprogram_state,
            "lang": "zh_CN",
        }
        for _attempt in range(2):
            try:
                token = self._tokens.get()
                answer = self._api.call(
                    "POST", "/cgi-bin/message/subscribe/send", {"access_token": token}, body
                )
            except UpstreamFailed as exc:
                raise MessageNotSent(f"WeChat did not answer ({exc.code})") from None
            errcode = answer.get("errcode") or 0
            if errcode in STALE_TOKEN_ERRCODES:
                self._tokens.forget(token)
                continue
            if errcode:
                # 43101 the user did not subscribe, 47003 a value breaks the template's rules ...
                raise MessageNotSent(f"WeChat errcode {errcode}: {answer.get('errmsg', '')}"[:500])
            return
        raise MessageNotSent("WeChat refused the access token twice (errcode 40001/42001)")
