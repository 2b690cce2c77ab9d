"""WeChat Pay API v3 for mini-programs (JSAPI): prepay, notifications, query, close, refund.

wechatpayv3's client class (WeChatPay) hard-codes its gateway URL and builds its certificate
store at construction, so it cannot be pointed at another server without touching private
attributes. Its public protocol functions do every cryptographic step here — the request's
WECHATPAY2-SHA256-RSA2048 signature, the verification of answers and notifications, the
AEAD_AES_256_GCM decryption, the JSAPI paySign — and requests carries the calls to the
gateway URL from settings."""

import json
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import requests
from django.utils import timezone
from wechatpayv3.utils import (
    aes_decrypt,
    build_authorization,
    load_certificate,
    load_private_key,
    load_public_key,
    rsa_sign,
    rsa_verify,
)

from contexts.integration.contracts import GatewayNotification, PaymentState, RefundReceipt
from contexts.integration.ports import PaymentGateway
from contexts.shared.domain.errors import InvalidInput, NotAuthenticated, UpstreamFailed
from contexts.shared.domain.text import N_

log = logging.getLogger(__name__)

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
PAYMENT_EVENT = "TRANSACTION.SUCCESS"
REFUND_EVENTS = ("REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED")
DESCRIPTION_MAX_BYTES = 127
REFUND_REASON_MAX = 80


@dataclass(frozen=True)
class WeChatPayConfig:
    """Everything the adapter needs, read from settings (the keys' files by path)."""

    app_id: str
    mch_id: str
    cert_serial_no: str
    private_key_path: str
    apiv3_key: str
    notify_url: str
    base_url: str = "https://api.mch.weixin.qq.com"
    public_key_id: str = ""
    public_key_path: str = ""
    platform_cert_paths: tuple[str, ...] = ()
    notify_max_age_seconds: int = 300
    timeout_seconds: float = 5.0


@lru_cache(maxsize=8)
def _private_key(path: str):
    return load_private_key(Path(path).read_text())


@lru_cache(maxsize=8)
def _verifying_keys(public_key_id: str, public_key_path: str, cert_paths: tuple[str, ...]) -> dict:
    """{Wechatpay-Serial: public key}: the WeChat Pay public key under its id, and each platform
    certificate under its serial number (upper-case hex, as WeChat Pay writes it)."""
    keys = {}
    if public_key_id and public_key_path:
        keys[public_key_id] = load_public_key(Path(public_key_path).read_text())
    for path in cert_paths:
        certificate = load_certificate(Path(path).read_text())
        if certificate is None:
            raise ValueError(f"{path} is not a PEM certificate")
        keys[format(certificate.serial_number, "X")] = certificate.public_key()
    return keys


def _failed(what: str) -> UpstreamFailed:
    return UpstreamFailed(f"WeChat Pay {what}; try again later.", code="payment_gateway_failed")


class WeChatPayGateway(PaymentGateway):
    name = "wechatpay"

    def __init__(self, config: WeChatPayConfig) -> None:
        self._config = config
        self._private_key = _private_key(config.private_key_path)
        self._keys = _verifying_keys(config.public_key_id, config.public_key_path, config.platform_cert_paths)

    # -- the calls -------------------------------------------------------------------------

    def create_payment(
        self,
        *,
        payment_id: str,
        order_no: str,
        amount_fen: int,
        description: str,
        payer_openid: str,
        expires_at: datetime | None,
    ) -> dict:
        if not payer_openid:
            raise InvalidInput(N_("The customer has no WeChat openid to pay with."))
        config = self._config
        body = {
            "appid": config.app_id,
            "mchid": config.mch_id,
            "description": description.encode()[:DESCRIPTION_MAX_BYTES].decode(errors="ignore"),
            "out_trade_no": order_no,
            "notify_url": config.notify_url,
            "amount": {"total": amount_fen, "currency": "CNY"},
            "payer": {"openid": payer_openid},
            "attach": payment_id,
        }
        if expires_at is not None:
            # WeChat Pay takes no money after the order's own payment time.
            body["time_expire"] = timezone.localtime(expires_at).isoformat(timespec="seconds")
        status, answer = self._call("POST", "/v3/pay/transactions/jsapi", body)
        prepay_id = answer.get("prepay_id") if status == 200 else None
        if not isinstance(prepay_id, str) or not prepay_id:
            log.warning("WeChat Pay refused the prepay of %s: %s %s", order_no, status, answer.get("code"))
            raise _failed("did not open the payment")
        return self._request_payment_parameters(prepay_id)

    def _request_payment_parameters(self, prepay_id: str) -> dict:
        """What wx.requestPayment takes, signed over appId, timeStamp, nonceStr and package."""
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        package = f"prepay_id={prepay_id}"
        message = f"{self._config.app_id}\n{timestamp}\n{nonce}\n{package}\n"
        return {
            "appId": self._config.app_id,
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": rsa_sign(self._private_key, message),
        }

    def query_payment(self, *, order_no: str) -> PaymentState:
        path = f"/v3/pay/transactions/out-trade-no/{quote(order_no, safe='')}?mchid={self._config.mch_id}"
        status, answer = self._call("GET", path)
        if status == 404:
            return PaymentState(order_no=order_no, state="NOT_FOUND", body=answer)
        ours = answer.get("mchid") == self._config.mch_id and answer.get("out_trade_no") == order_no
        if status != 200 or not ours:
            log.warning("WeChat Pay's query of %s answered %s %s", order_no, status, answer.get("code"))
            raise _failed("did not say what became of the payment")
        amount = answer.get("amount") if isinstance(answer.get("amount"), dict) else {}
        total = amount.get("total")
        return PaymentState(
            order_no=order_no,
            state=str(answer.get("trade_state", "")),
            transaction_id=answer.get("transaction_id") or None,
            amount_fen=total if isinstance(total, int) and not isinstance(total, bool) else None,
            paid_at=str(answer.get("success_time", "")),
            body=answer,
        )

    def close_payment(self, *, order_no: str) -> None:
        path = f"/v3/pay/transactions/out-trade-no/{quote(order_no, safe='')}/close"
        status, answer = self._call("POST", path, {"mchid": self._config.mch_id})
        if status != 204:
            log.warning("WeChat Pay did not close %s: %s %s", order_no, status, answer.get("code"))
            raise _failed("did not close the payment")

    def refund(
        self, *, payment_id: str, order_no: str, refund_id: str, amount_fen: int, total_fen: int, reason: str
    ) -> RefundReceipt:
        body = {
            "out_trade_no": order_no,
            "out_refund_no": refund_id,
            "reason": reason[:REFUND_REASON_MAX],
            "notify_url": self._config.notify_url,
            "amount": {"refund": amount_fen, "total": total_fen, "currency": "CNY"},
        }
        status, answer = self._call("POST", "/v3/refund/domestic/refunds", body)
        taken = answer.get("status") in ("SUCCESS", "PROCESSING") and answer.get("out_refund_no") == refund_id
        if status != 200 or not taken:
            log.warning("WeChat Pay refused refund %s: %s %s", refund_id, status, answer.get("code"))
            raise _failed("did not take the refund")
        return RefundReceipt(
            refund_id=refund_id,
            gateway_refund_id=str(answer.get("refund_id", "")),
            status=answer["status"],
            amount_fen=amount_fen,
        )

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """One signed request; the answer's status and JSON ({} when it has none). A 2xx answer
        is taken only with WeChat Pay's valid signature."""
        config = self._config
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":")) if body is not None else ""
        authorization = build_authorization(
            path, method, config.mch_id, config.cert_serial_no, self._private_key, data=text
        )
        headers = {
            "Authorization": authorization,
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": "groupbuy",
        }
        try:
            response = requests.request(
                method,
                config.base_url.rstrip("/") + path,
                data=text.encode() if body is not None else None,
                headers=headers,
                timeout=config.timeout_seconds,
            )
        except requests.RequestException as exc:
            log.warning("WeChat Pay %s %s did not answer: %s", method, path.split("?")[0], type(exc).__name__)
            raise _failed("did not answer") from None
        body = response.content.decode("utf-8", errors="replace")  # WeChat Pay signs the UTF-8 bytes
        if 200 <= response.status_code < 300 and not self._signed(response.headers, body):
            log.warning("WeChat Pay's answer to %s %s is not signed", method, path.split("?")[0])
            raise _failed("answered without a valid signature")
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = {}
        return response.status_code, answer if isinstance(answer, dict) else {}

    def _signed(self, headers: Mapping[str, str], body: str) -> bool:
        key = self._keys.get(str(headers.get("Wechatpay-Serial", "")).strip())
        if key is None:
            return False
        try:
            return rsa_verify(
                headers.get("Wechatpay-Timestamp", ""),
                headers.get("Wechatpay-Nonce", ""),
                body,
                headers.get("Wechatpay-Signature", ""),
                key,
            )
        except Exception:  # a signature of the wrong size or shape is no signature
            return False

    # -- notifications ---------------------------------------------------------------------

    def parse_notification(self, *, headers: Mapping[str, str], raw_body: bytes) -> GatewayNotification:
        text = self._verified_body(headers, raw_body)
        try:
            envelope = json.loads(text)
        except (ValueError, RecursionError):
            raise InvalidInput(N_("The notification body is not JSON.")) from None
        if not isinstance(envelope, dict):
            raise InvalidInput(N_("The notification body is not a JSON object."))
        resource = self._decrypted(envelope)
        if resource.get("mchid") != self._config.mch_id:
            raise InvalidInput(
                N_("The notification is for another merchant."), fields={"mchid": [N_("Mismatch.")]}
            )
        event_type = envelope.get("event_type")
        if event_type == PAYMENT_EVENT:
            return _payment_notification(resource, self._config.app_id)
        if event_type in REFUND_EVENTS:
            return _refund_notification(resource)
        raise InvalidInput(
            N_("The notification is of an unknown kind."), fields={"event_type": [N_("Unknown.")]}
        )

    def _verified_body(self, headers: Mapping[str, str], raw_body: bytes) -> str:
        """The body, once the signature over "timestamp\\nnonce\\nbody\\n" checks out with the key
        Wechatpay-Serial names and the timestamp is fresh; else 401."""
        refused = NotAuthenticated(N_("The notification signature is invalid."), code="invalid_signature")
        timestamp, nonce = headers.get("wechatpay-timestamp", ""), headers.get("wechatpay-nonce", "")
        signature, serial = headers.get("wechatpay-signature", ""), headers.get("wechatpay-serial", "")
        signature_type = headers.get("wechatpay-signature-type", SIGNATURE_TYPE)
        if not (timestamp and nonce and signature and serial) or signature_type != SIGNATURE_TYPE:
            raise refused
        try:
            age = abs(time.time() - int(timestamp))
            text = raw_body.decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise refused from None
        key = self._keys.get(serial.strip())
        if age > self._config.notify_max_age_seconds or key is None:
            raise refused
        try:
            valid = rsa_verify(timestamp, nonce, text, signature, key)
        except Exception:  # a signature of the wrong size or shape is no signature
            valid = False
        if not valid:
            raise refused
        return text

    def _decrypted(self, envelope: dict) -> dict:
        resource = envelope.get("resource")
        if envelope.get("resource_type") != "encrypt-resource" or not isinstance(resource, dict):
            raise InvalidInput(N_("The notification carries no encrypted resource."))
        fields = [resource.get(name) for name in ("ciphertext", "nonce", "associated_data")]
        if resource.get("algorithm") != "AEAD_AES_256_GCM" or not all(isinstance(f, str) for f in fields):
            raise InvalidInput(N_("The notification's resource is not AEAD_AES_256_GCM."))
        ciphertext, nonce, associated_data = fields
        try:
            plain = aes_decrypt(
                nonce=nonce,
                ciphertext=ciphertext,
                associated_data=associated_data,
                apiv3_key=self._config.apiv3_key,
            )
            decrypted = json.loads(plain) if plain is not None else None
        except (ValueError, TypeError, RecursionError):
            decrypted = None
        if not isinstance(decrypted, dict):
            raise InvalidInput(N_("The notification's resource cannot be decrypted."))
        return decrypted


def _text(resource: dict, name: str, errors: dict) -> str:
    value = resource.get(name)
    if not isinstance(value, str) or not value or len(value) > 100:
        errors[name] = ["A non-empty string is required."]
        return ""
    return value


def _fen(amount, name: str, errors: dict) -> int:
    value = amount.get(name) if isinstance(amount, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors[f"amount.{name}"] = ["An integer is required."]
        return 0
    return value


def _payment_notification(resource: dict, app_id: str) -> GatewayNotification:
    errors: dict[str, list[str]] = {}
    if resource.get("appid") != app_id:
        errors["appid"] = ["Mismatch."]
    order_no = _text(resource, "out_trade_no", errors)
    transaction_id = _text(resource, "transaction_id", errors)
    state = _text(resource, "trade_state", errors)
    total = _fen(resource.get("amount"), "total", errors)
    if errors:
        raise InvalidInput(N_("The notification is invalid."), fields=errors)
    return GatewayNotification(
        kind="payment",
        order_no=order_no,
        amount_fen=total,
        status=state,
        transaction_id=transaction_id,
        occurred_at=str(resource.get("success_time", "")),
        body=resource,
    )


def _refund_notification(resource: dict) -> GatewayNotification:
    errors: dict[str, list[str]] = {}
    order_no = _text(resource, "out_trade_no", errors)
    refund_id = _text(resource, "out_refund_no", errors)
    gateway_refund_id = _text(resource, "refund_id", errors)
    status = _text(resource, "refund_status", errors)
    refunded = _fen(resource.get("amount"), "refund", errors)
    if errors:
        raise InvalidInput(N_("The notification is invalid."), fields=errors)
    return GatewayNotification(
        kind="refund",
        order_no=order_no,
        amount_fen=refunded,
        status=status,
        transaction_id=gateway_refund_id,
        occurred_at=str(resource.get("success_time", "")),
        refund_id=refund_id,
        body=resource,
    )
