"""A fake Tencent Cloud SMS endpoint (SendSms, API 2021-01-11) that checks the TC3-HMAC-SHA256
signature as Tencent Cloud documents it ("签名方法 v3"), computed here with hashlib and hmac
(not the SDK the adapter uses), and answers as Tencent Cloud does: HTTP 200 always, an error
as {"Response": {"Error": {"Code", "Message"}, "RequestId"}}, and a status per number."""

import hashlib
import hmac
import re
import secrets
import time
import uuid
from datetime import UTC, datetime

from tests.support.vendor_server import Answer, Received, VendorServer

SDK_APP_ID = "1400006666"
SIGN_NAME = "团购小店"
REGION = "ap-guangzhou"
TEMPLATES = {"bind_phone": ("1110001", 1), "create_store": ("1110002", 1)}  # purpose: (id, parameters)
MAINLAND = re.compile(r"^\+861[3-9]\d{9}$")


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


class FakeTencentSms(VendorServer):
    def __init__(self) -> None:
        super().__init__()
        self.secret_id = "AKID" + secrets.token_hex(16)
        self.secret_key = secrets.token_hex(16)
        self.sent: list[dict] = []  # {"phone", "template_id", "params"}
        self.refused_numbers: dict[str, str] = {}  # "+86…": the per-number code to answer
        self.failure: tuple[str, str] | None = None  # an error every call gets, while set

    def settings(self) -> dict:
        return {
            "TENCENT_SMS_ENDPOINT": self.url,
            "TENCENT_SMS_SECRET_ID": self.secret_id,
            "TENCENT_SMS_SECRET_KEY": self.secret_key,
            "TENCENT_SMS_SDK_APP_ID": SDK_APP_ID,
            "TENCENT_SMS_SIGN_NAME": SIGN_NAME,
            "TENCENT_SMS_REGION": REGION,
            "TENCENT_SMS_TEMPLATE_IDS": {purpose: tid for purpose, (tid, _n) in TEMPLATES.items()},
        }

    def codes_sent_to(self, phone: str) -> list[str]:
        return [m["params"][0] for m in self.sent if m["phone"] == "+86" + phone]

    def _error(self, code: str, message: str) -> Answer:
        return Answer.json(
            200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}}
        )

    def _signature_error(self, request: Received) -> tuple[str, str] | None:
        headers = request.headers
        match = re.fullmatch(
            r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/sms/tc3_request, "
            r"SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})",
            headers.get("authorization", ""),
        )
        if match is None:
            return "AuthFailure.InvalidAuthorization", "Authorization 不符合腾讯云标准"
        secret_id, date, signed_names, signature = match.groups()
        if secret_id != self.secret_id:
            return "AuthFailure.SecretIdNotFound", "密钥不存在"
        timestamp = int(headers.get("x-tc-timestamp", "0") or 0)
        if abs(time.time() - timestamp) > 300:
            return "AuthFailure.SignatureExpire", "签名过期"
        if datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") != date:
            return "AuthFailure.SignatureFailure", "日期不符"
        names = signed_names.split(";")
        if "content-type" not in names or "host" not in names:
            return "AuthFailure.SignatureFailure", "签名头部不全"
        canonical_headers = "".join(f"{n}:{headers.get(n, '').strip().lower()}\n" for n in names)
        canonical_request = "\n".join(
            [
                request.method,
                request.path.split("?")[0],
                request.path.partition("?")[2],
                canonical_headers,
                signed_names,
                hashlib.sha256(request.body).hexdigest(),
            ]
        )
        scope = f"{date}/sms/tc3_request"
        to_sign = (
            f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
        )
        key = _hmac(_hmac(_hmac(("TC3" + self.secret_key).encode(), date), "sms"), "tc3_request")
        if not hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), signature):
            return "AuthFailure.SignatureFailure", "请求签名验证失败"
        return None

    def answer(self, request: Received) -> Answer:
        refused = self._signature_error(request)
        if refused:
            return self._error(*refused)
        headers = request.headers
        if headers.get("x-tc-action") != "SendSms" or headers.get("x-tc-version") != "2021-01-11":
            return self._error("InvalidAction", "接口不存在")
        if headers.get("x-tc-region") != REGION:
            return self._error("InvalidParameterValue", "地域不正确")
        if self.failure:
            return self._error(*self.failure)
        body = request.json()
        templates = {tid: count for tid, count in TEMPLATES.values()}
        if body.get("SmsSdkAppId") != SDK_APP_ID:
            return self._error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId不存在")
        if body.get("SignName") != SIGN_NAME:
            return self._error("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审批或格式错误")
        if body.get("TemplateId") not in templates:
            return self._error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审批或内容不匹配")
        params = body.get("TemplateParamSet") or []
        if len(params) != templates[body["TemplateId"]]:
            return self._error("InvalidParameterValue.TemplateParameterFormatError", "模板参数个数不匹配")
        statuses = []
        for phone in body.get("PhoneNumberSet") or []:
            code = self.refused_numbers.get(phone) or (
                "Ok" if MAINLAND.match(phone) else "InvalidParameterValue.IncorrectPhoneNumber"
            )
            if code == "Ok":
                self.sent.append({"phone": phone, "template_id": body["TemplateId"], "params": params})
            statuses.append(
                {
                    "SerialNo": secrets.token_hex(12),
                    "PhoneNumber": phone,
                    "Fee": 1 if code == "Ok" else 0,
                    "SessionContext": "",
                    "Code": code,
                    "Message": "send success" if code == "Ok" else code,
                    "IsoCode": "CN",
                }
            )
        return Answer.json(200, {"Response": {"SendStatusSet": statuses, "RequestId": str(uuid.uuid4())}})
