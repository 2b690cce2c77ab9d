"""A fake of WeChat's server API for mini-programs (api.weixin.qq.com), as WeChat documents it:
GET /sns/jscode2session, GET /cgi-bin/token, POST /cgi-bin/message/subscribe/send. Errors are
HTTP 200 with {"errcode", "errmsg"}, as WeChat answers them."""

import re
import secrets
import time

from tests.support.vendor_server import Answer, Received, VendorServer

APP_ID = "wx8888888888888888"
# The subscribe-message templates picked in the console for this mini-program: their ids and
# keywords (what TEMPLATE_KEYWORDS of the notification context fills).
TEMPLATES = {
    "order_paid": ("tmpl-paid-0001", ["character_string1", "thing2", "amount3", "character_string4"]),
    "order_completed": ("tmpl-done-0002", ["character_string1", "thing2", "amount3", "phrase4"]),
    "order_refunded": ("tmpl-back-0003", ["character_string1", "thing2", "amount3", "thing4"]),
    "order_reminder": ("tmpl-here-0004", ["character_string1", "thing2"]),
    "settlement_completed": ("tmpl-paid-0005", ["phrase1", "number2", "amount3"]),
}
RULES = {
    "thing": re.compile(r"^.{1,20}$"),
    "character_string": re.compile(r"^[\x21-\x7e]{1,32}$"),
    "phrase": re.compile(r"^.{1,5}$"),
    "number": re.compile(r"^\d{1,32}$"),
    "amount": re.compile(r"^-?\d+(\.\d{1,2})?元?$"),
}


def errors(code: int, message: str) -> Answer:
    return Answer.json(200, {"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(6)}"})


class FakeWeChat(VendorServer):
    def __init__(self, *, app_id: str = APP_ID, token_lifetime: int = 7200, token_delay: float = 0.0) -> None:
        super().__init__()
        self.token_delay = token_delay  # how long WeChat takes to issue a token
        self.app_id = app_id
        self.app_secret = secrets.token_hex(16)
        self.token_lifetime = token_lifetime
        self.codes: dict[str, dict] = {}  # wx.login() codes not yet used
        self.used_codes: set[str] = set()
        self.tokens: dict[str, float] = {}  # access token -> when it expires
        self.templates = {template_id: keywords for template_id, keywords in TEMPLATES.values()}
        self.subscriptions: set[tuple[str, str]] = set()  # (openid, template id) the user accepted
        self.messages: list[dict] = []

    @property
    def template_ids(self) -> dict:
        return {name: template_id for name, (template_id, _keywords) in TEMPLATES.items()}

    def settings(self) -> dict:
        return {
            "WECHAT_API_BASE_URL": self.url,
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
            "WECHAT_SUBSCRIBE_TEMPLATE_IDS": self.template_ids,
        }

    def login_code(self, openid: str, unionid: str | None = None) -> str:
        """What wx.login() gives the mini-program of the user `openid`: a single-use code."""
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"openid": openid, "unionid": unionid}
        return code

    def subscribe(self, openid: str, *templates: str) -> None:
        """The user tapped "allow" in wx.requestSubscribeMessage for these templates."""
        self.subscriptions |= {(openid, TEMPLATES[name][0]) for name in templates}

    def expire_tokens(self) -> None:
        self.tokens = dict.fromkeys(self.tokens, 0.0)

    def answer(self, request: Received) -> Answer:
        path, query = request.path.split("?")[0], request.query
        if request.method == "GET" and path == "/sns/jscode2session":
            return self._code2session(query)
        if request.method == "GET" and path == "/cgi-bin/token":
            return self._token(query)
        if request.method == "POST" and path == "/cgi-bin/message/subscribe/send":
            return self._send(query.get("access_token", ""), request)
        return Answer(404, b"not found")

    def _credentials(self, query: dict) -> Answer | None:
        if query.get("appid") != self.app_id:
            return errors(40013, "invalid appid")
        if query.get("secret") != self.app_secret:
            return errors(40125, "invalid appsecret")
        return None

    def _code2session(self, query: dict) -> Answer:
        refused = self._credentials(query)
        if refused:
            return refused
        code = query.get("js_code", "")
        if query.get("grant_type") != "authorization_code":
            return errors(40002, "invalid grant_type")
        if code in self.used_codes:
            return errors(40163, "code been used")
        if code not in self.codes:
            return errors(40029, "invalid code")
        self.used_codes.add(code)
        user = self.codes.pop(code)
        session = {"openid": user["openid"], "session_key": secrets.token_urlsafe(16)}
        if user["unionid"]:
            session["unionid"] = user["unionid"]
        return Answer.json(200, session)

    def _token(self, query: dict) -> Answer:
        refused = self._credentials(query)
        if refused:
            return refused
        if query.get("grant_type") != "client_credential":
            return errors(40002, "invalid grant_type")
        time.sleep(self.token_delay)
        token = secrets.token_urlsafe(48)
        self.tokens[token] = time.time() + self.token_lifetime
        return Answer.json(200, {"access_token": token, "expires_in": self.token_lifetime})

    def _send(self, token: str, request: Received) -> Answer:
        if token not in self.tokens:
            return errors(40001, "invalid credential, access_token is invalid or not latest")
        if self.tokens[token] <= time.time():
            return errors(42001, "access_token expired")
        try:
            body = request.json()
        except ValueError:
            return errors(47001, "data format error")
        keywords = self.templates.get(body.get("template_id"))
        if keywords is None:
            return errors(40037, "invalid template_id")
        if body.get("miniprogram_state", "formal") not in ("developer", "trial", "formal"):
            return errors(47003, "argument invalid! miniprogram_state")
        data = body.get("data")
        for keyword in keywords:
            value = data.get(keyword, {}).get("value") if isinstance(data, dict) else None
            rule = RULES[keyword.rstrip("0123456789")]
            if not isinstance(value, str) or not rule.match(value):
                return errors(47003, f"argument invalid! data.{keyword}.value invalid")
        if (body.get("touser"), body["template_id"]) not in self.subscriptions:
            return errors(43101, "user refuse to accept the msg")
        # A subscription is one message: the user must allow again for the next one.
        self.subscriptions.discard((body["touser"], body["template_id"]))
        self.messages.append(body)
        return Answer.json(200, {"errcode": 0, "errmsg": "ok", "msgid": secrets.randbelow(10**18)})
