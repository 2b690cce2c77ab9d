"""A fake WeChat Pay API v3 server (JSAPI prepay, query, close, refund) and its notifications,
written from WeChat Pay's documentation with `cryptography` alone (not the library the
adapter uses), with keys and certificates made for each test:

- requests must carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",
  signature="…",timestamp="…",serial_no="…"`, the signature being RSA-SHA256 (PKCS#1 v1.5) by
  the merchant's key over "METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n";
- answers and notifications are signed by WeChat Pay's key over "TIMESTAMP\\nNONCE\\nBODY\\n"
  (Wechatpay-Timestamp, -Nonce, -Signature, -Serial: the public key's id, or the platform
  certificate's serial number);
- a notification's resource is AEAD_AES_256_GCM-encrypted with the APIv3 key."""

import base64
import functools
import json
import re
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from tests.support.vendor_server import Answer, Received, VendorServer

APP_ID = "wx8888888888888888"
MCH_ID = "1900000109"
OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")


def _now_text() -> str:
    return datetime.fromtimestamp(time.time(), tz=UTC).astimezone().isoformat(timespec="seconds")


def _self_signed(key: rsa.RSAPrivateKey, name: str) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )


@functools.cache
def _keys() -> tuple:
    """The merchant's key, WeChat Pay's key and its platform certificate: made once per test
    process (an RSA key takes a while on a busy machine)."""
    merchant = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    platform = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return merchant, platform, _self_signed(platform, "Tenpay.com Root CA")


class FakeWeChatPay(VendorServer):
    def __init__(self, *, mode: str = "public_key", app_id: str = APP_ID, mch_id: str = MCH_ID) -> None:
        super().__init__()
        self.app_id, self.mch_id, self.mode = app_id, mch_id, mode
        self.merchant_key, self.platform_key, self.platform_cert = _keys()
        self.merchant_serial = secrets.token_hex(20).upper()
        self.public_key_id = f"PUB_KEY_ID_{secrets.randbelow(10**20):020d}"
        self.apiv3_key = secrets.token_hex(16)  # 32 characters, as WeChat Pay's merchant platform sets it
        self.transactions: dict[str, dict] = {}  # by out_trade_no
        self.refunds: dict[str, dict] = {}  # by out_refund_no

    @property
    def serial(self) -> str:
        """What Wechatpay-Serial names: the public key's id, or the certificate's serial."""
        if self.mode == "public_key":
            return self.public_key_id
        return format(self.platform_cert.serial_number, "X")

    def settings(self, folder: Path, notify_url: str) -> dict:
        """The Django settings of a merchant of this WeChat Pay, its key files written to `folder`."""
        key = folder / "apiclient_key.pem"
        key.write_bytes(
            self.merchant_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        public = folder / "pub_key.pem"
        public.write_bytes(
            self.platform_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        cert = folder / "wechatpay_platform.pem"
        cert.write_bytes(self.platform_cert.public_bytes(serialization.Encoding.PEM))
        by_key = self.mode == "public_key"
        return {
            "WECHATPAY_BASE_URL": self.url,
            "WECHATPAY_MCH_ID": self.mch_id,
            "WECHATPAY_CERT_SERIAL_NO": self.merchant_serial,
            "WECHATPAY_PRIVATE_KEY_PATH": str(key),
            "WECHATPAY_APIV3_KEY": self.apiv3_key,
            "WECHATPAY_NOTIFY_URL": notify_url,
            "WECHATPAY_PUBLIC_KEY_ID": self.public_key_id if by_key else "",
            "WECHATPAY_PUBLIC_KEY_PATH": str(public) if by_key else "",
            "WECHATPAY_PLATFORM_CERT_PATHS": [] if by_key else [str(cert)],
        }

    # -- WeChat Pay's side of the protocol -------------------------------------------------

    def signed_headers(self, body: bytes, *, timestamp: int | None = None, key=None) -> dict:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = secrets.token_hex(16)
        message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
        signature = (key or self.platform_key).sign(message, padding.PKCS1v15(), hashes.SHA256())
        return {
            "Wechatpay-Timestamp": str(timestamp),
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Signature": base64.b64encode(signature).decode(),
            "Wechatpay-Serial": self.serial,
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
        }

    def _reply(self, status: int, value=None) -> Answer:
        body = b"" if value is None else json.dumps(value, ensure_ascii=False).encode()
        headers = {"Request-ID": uuid.uuid4().hex, **self.signed_headers(body)}
        if value is not None:
            headers["Content-Type"] = "application/json"
        return Answer(status, body, headers)

    def _error(self, status: int, code: str, message: str) -> Answer:
        return self._reply(status, {"code": code, "message": message})

    def _authenticated(self, request: Received) -> bool:
        scheme, _, params = request.headers.get("authorization", "").partition(" ")
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        if scheme != "WECHATPAY2-SHA256-RSA2048" or fields.get("mchid") != self.mch_id:
            return False
        if fields.get("serial_no") != self.merchant_serial:
            return False
        try:
            timestamp = int(fields.get("timestamp", ""))
            signature = base64.b64decode(fields.get("signature", ""), validate=True)
        except ValueError:
            return False
        if abs(time.time() - timestamp) > 300:
            return False
        message = f"{request.method}\n{request.path}\n{timestamp}\n{fields.get('nonce_str', '')}\n".encode()
        try:
            self.merchant_key.public_key().verify(
                signature, message + request.body + b"\n", padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            return False
        return True

    def answer(self, request: Received) -> Answer:
        if not self._authenticated(request):
            return self._error(401, "SIGN_ERROR", "签名错误")
        path = request.path.split("?")[0]
        if request.method == "POST" and path == "/v3/pay/transactions/jsapi":
            return self._prepay(request.json())
        if request.method == "GET" and path.startswith("/v3/pay/transactions/out-trade-no/"):
            if request.query.get("mchid") != self.mch_id:
                return self._error(400, "PARAM_ERROR", "mchid不正确")
            return self._query(path.rsplit("/", 1)[1])
        if request.method == "POST" and re.fullmatch(r"/v3/pay/transactions/out-trade-no/[^/]+/close", path):
            return self._close(path.split("/")[-2], request.json())
        if request.method == "POST" and path == "/v3/refund/domestic/refunds":
            return self._refund(request.json())
        return self._error(404, "NOT_FOUND", "无此接口")

    def _prepay(self, body: dict) -> Answer:
        amount, payer = body.get("amount") or {}, body.get("payer") or {}
        checks = [
            body.get("appid") == self.app_id and body.get("mchid") == self.mch_id,
            isinstance(body.get("description"), str) and 0 < len(body["description"].encode()) <= 127,
            isinstance(body.get("out_trade_no"), str) and OUT_TRADE_NO.match(body["out_trade_no"]),
            isinstance(body.get("notify_url"), str)
            and body["notify_url"].startswith(("https://", "http://")),
            isinstance(amount.get("total"), int) and amount["total"] >= 1 and amount.get("currency") == "CNY",
            isinstance(payer.get("openid"), str) and payer["openid"],
        ]
        if not all(checks):
            return self._error(400, "PARAM_ERROR", "参数错误")
        known = self.transactions.get(body["out_trade_no"])
        if known is not None:
            if known["trade_state"] == "SUCCESS":
                return self._error(403, "ORDERPAID", "该订单已支付")
            if known["request"] != body:
                return self._error(400, "INVALID_REQUEST", "201 商户订单号重复")
            return self._reply(200, {"prepay_id": known["prepay_id"]})
        self.transactions[body["out_trade_no"]] = {
            "request": body,
            "prepay_id": f"wx{secrets.randbelow(10**28):028d}",
            "trade_state": "NOTPAY",
            "transaction_id": None,
            "success_time": None,
            "refunded": 0,
        }
        return self._reply(200, {"prepay_id": self.transactions[body["out_trade_no"]]["prepay_id"]})

    def transaction(self, out_trade_no: str) -> dict:
        """The transaction as WeChat Pay describes it (query answer, notification resource)."""
        known = self.transactions[out_trade_no]
        request = known["request"]
        described = {
            "appid": request["appid"],
            "mchid": request["mchid"],
            "out_trade_no": out_trade_no,
            "trade_type": "JSAPI",
            "trade_state": known["trade_state"],
            "trade_state_desc": {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭"}.get(
                known["trade_state"], "转入退款"
            ),
            "attach": request.get("attach", ""),
            "payer": {"openid": request["payer"]["openid"]},
            "amount": {"total": request["amount"]["total"], "currency": "CNY"},
        }
        if known["transaction_id"]:
            described |= {
                "transaction_id": known["transaction_id"],
                "bank_type": "OTHERS",
                "success_time": known["success_time"],
                "amount": {
                    "total": request["amount"]["total"],
                    "payer_total": request["amount"]["total"],
                    "currency": "CNY",
                    "payer_currency": "CNY",
                },
            }
        return described

    def _query(self, out_trade_no: str) -> Answer:
        if out_trade_no not in self.transactions:
            return self._error(404, "ORDER_NOT_EXIST", "订单不存在")
        return self._reply(200, self.transaction(out_trade_no))

    def _close(self, out_trade_no: str, body: dict) -> Answer:
        known = self.transactions.get(out_trade_no)
        if body.get("mchid") != self.mch_id or known is None:
            return self._error(400, "PARAM_ERROR", "参数错误")
        if known["trade_state"] == "SUCCESS":
            return self._error(400, "ORDERPAID", "订单已支付")
        known["trade_state"] = "CLOSED"
        return self._reply(204)

    def _refund(self, body: dict) -> Answer:
        known = self.transactions.get(body.get("out_trade_no"))
        amount = body.get("amount") or {}
        if known is None or known["trade_state"] not in ("SUCCESS", "REFUND"):
            return self._error(400, "RESOURCE_NOT_EXISTS", "订单不存在或未支付")
        total = known["request"]["amount"]["total"]
        refund = amount.get("refund")
        valid_amount = isinstance(refund, int) and 0 < refund <= total - known["refunded"]
        if amount.get("total") != total or amount.get("currency") != "CNY" or not valid_amount:
            return self._error(400, "PARAM_ERROR", "退款金额不正确")
        out_refund_no = body.get("out_refund_no")
        if not isinstance(out_refund_no, str) or not 1 <= len(out_refund_no) <= 64:
            return self._error(400, "PARAM_ERROR", "out_refund_no不正确")
        if out_refund_no not in self.refunds:
            known["refunded"] += refund
            known["trade_state"] = "REFUND"
            self.refunds[out_refund_no] = {
                "refund_id": f"50{secrets.randbelow(10**27):027d}",
                "out_refund_no": out_refund_no,
                "out_trade_no": body["out_trade_no"],
                "transaction_id": known["transaction_id"],
                "status": "PROCESSING",
                "notify_url": body.get("notify_url"),
                "reason": body.get("reason", ""),
                "amount": {"total": total, "refund": refund},
            }
        kept = self.refunds[out_refund_no]
        return self._reply(
            200,
            {
                "refund_id": kept["refund_id"],
                "out_refund_no": out_refund_no,
                "transaction_id": kept["transaction_id"],
                "out_trade_no": kept["out_trade_no"],
                "channel": "ORIGINAL",
                "user_received_account": "支付用户零钱",
                "create_time": _now_text(),
                "status": kept["status"],
                "funds_account": "AVAILABLE",
                "amount": {
                    **kept["amount"],
                    "payer_total": total,
                    "payer_refund": kept["amount"]["refund"],
                    "currency": "CNY",
                },
            },
        )

    # -- what the test makes happen --------------------------------------------------------

    def customer_pays(self, out_trade_no: str) -> None:
        """The customer confirmed in WeChat: the money is taken (no notification yet)."""
        known = self.transactions[out_trade_no]
        known["trade_state"] = "SUCCESS"
        known["transaction_id"] = f"42{secrets.randbelow(10**26):026d}"
        known["success_time"] = _now_text()

    def encrypted(self, resource: dict, associated_data: str, *, key: str | None = None) -> dict:
        nonce = secrets.token_hex(6)  # 12 characters
        plain = json.dumps(resource, ensure_ascii=False).encode()
        cipher = AESGCM((key or self.apiv3_key).encode())
        sealed = cipher.encrypt(nonce.encode(), plain, associated_data.encode())
        return {
            "original_type": associated_data,
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(sealed).decode(),
            "associated_data": associated_data,
            "nonce": nonce,
        }

    def envelope(self, event_type: str, summary: str, resource: dict) -> bytes:
        return json.dumps(
            {
                "id": str(uuid.uuid4()),
                "create_time": _now_text(),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": summary,
                "resource": resource,
            },
            ensure_ascii=False,
        ).encode()

    def payment_notification(self, out_trade_no: str) -> tuple[dict, bytes]:
        """(headers, body) of TRANSACTION.SUCCESS for a paid transaction, as WeChat Pay sends it."""
        resource = self.encrypted(self.transaction(out_trade_no), "transaction")
        body = self.envelope("TRANSACTION.SUCCESS", "支付成功", resource)
        return self.signed_headers(body), body

    def refund_completes(self, out_refund_no: str, status: str = "SUCCESS") -> None:
        self.refunds[out_refund_no]["status"] = status

    def refund_notification(self, out_refund_no: str) -> tuple[dict, bytes]:
        kept = self.refunds[out_refund_no]
        resource = {
            "mchid": self.mch_id,
            "out_trade_no": kept["out_trade_no"],
            "transaction_id": kept["transaction_id"],
            "out_refund_no": out_refund_no,
            "refund_id": kept["refund_id"],
            "refund_status": kept["status"],
            "success_time": _now_text(),
            "user_received_account": "支付用户零钱",
            "amount": {
                "total": kept["amount"]["total"],
                "refund": kept["amount"]["refund"],
                "payer_total": kept["amount"]["total"],
                "payer_refund": kept["amount"]["refund"],
            },
        }
        summary = {"SUCCESS": "退款成功", "ABNORMAL": "退款异常", "CLOSED": "退款关闭"}[kept["status"]]
        body = self.envelope(f"REFUND.{kept['status']}", summary, self.encrypted(resource, "refund"))
        return self.signed_headers(body), body

    def notify(self, headers: dict, body: bytes, url: str) -> requests.Response:
        """POST a notification to the merchant's notify URL, as WeChat Pay does."""
        headers = {**headers, "Content-Type": "application/json"}
        return requests.post(url, data=body, headers=headers, timeout=10)
