"""The WeChat channel, through integration's services."""

from django.conf import settings
from django.db import transaction

from contexts.integration import services as integration
from contexts.notification.domain import ports
from contexts.notification.domain.model import SendFailed, yuan

# WeChat limits a "thing" value to 20 characters; longer ones are refused with errcode 47003.
MAX_VALUE_LENGTH = 20


def template_id(template: str) -> str:
    """Template ids are issued per mini-program in WeChat's console: the setting
    WECHAT_SUBSCRIBE_TEMPLATE_IDS maps our template names to them (the sandbox takes the names)."""
    return getattr(settings, "WECHAT_SUBSCRIBE_TEMPLATE_IDS", {}).get(template) or template


def wechat_data(payload: dict) -> dict:
    """subscribeMessage.send's `data`: {key: {"value": text}}. The order's (or settlement's) id
    goes in the page; amounts read as yuan (total_fen -> total)."""
    data = {}
    for key, value in payload.items():
        if key in ("order_id", "settlement_id") or value is None or value == "":
            continue
        if key.endswith("_fen"):
            key, value = key.removesuffix("_fen"), yuan(value)
        data[key] = {"value": str(value)[:MAX_VALUE_LENGTH]}
    return data


class WeChatSubscribeSender(ports.MessageSender):
    def send(self, *, openid: str, template: str, page: str, payload: dict) -> None:
        try:
            # A savepoint: whatever the channel wrote is undone if it fails, and the caller's
            # transaction stays usable to record the failure.
            with transaction.atomic():
                integration.send_subscribe_message(
                    touser=openid, template_id=template_id(template), page=page, data=wechat_data(payload)
                )
        except Exception as exc:  # best effort: any failure of the channel is recorded, never raised
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc
