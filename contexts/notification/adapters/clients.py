"""The WeChat channel, through integration's services."""

from django.conf import settings
from django.db import transaction

from contexts.integration import services as integration
from contexts.notification.domain import ports
from contexts.notification.domain.model import SendFailed, yuan

# The project's subscribe-message templates, as picked in WeChat's console (README, "Production
# integrations"): which fact fills which keyword. WeChat checks each value by its keyword's kind
# and refuses the message (errcode 47003) when one breaks the rule: thing ≤ 20 characters,
# character_string ≤ 32, phrase ≤ 5, number digits, amount a sum in yuan.
TEMPLATE_KEYWORDS = {
    "order_paid": {
        "order_no": "character_string1",
        "store_name": "thing2",
        "total": "amount3",
        "sequence_no": "character_string4",
    },
    "order_completed": {
        "order_no": "character_string1",
        "store_name": "thing2",
        "total": "amount3",
        "completed_by": "phrase4",
    },
    "order_refunded": {
        "order_no": "character_string1",
        "store_name": "thing2",
        "total": "amount3",
        "reason": "thing4",
    },
    "order_reminder": {"order_no": "character_string1", "store_name": "thing2"},
    "settlement_completed": {"kind": "phrase1", "order_count": "number2", "net": "amount3"},
}
MAX_LENGTH = {"thing": 20, "character_string": 32, "phrase": 5}
WORDS = {
    "customer": "顾客确认",
    "staff": "到店核销",
    "system": "自动完成",
    "orders": "订单结算",
    "commissions": "佣金结算",
}


def template_id(template: str) -> str:
    """Template ids are issued per mini-program in WeChat's console: the setting
    WECHAT_SUBSCRIBE_TEMPLATE_IDS maps our template names to them (the sandbox takes the names)."""
    return getattr(settings, "WECHAT_SUBSCRIBE_TEMPLATE_IDS", {}).get(template) or template


def wechat_data(template: str, payload: dict) -> dict:
    """subscribeMessage.send's `data`: {keyword: {"value": text}} for every keyword of the
    template. Amounts read as yuan (total_fen fills "total"); a fact the event did not carry
    reads "-"; the order's (or settlement's) id goes in the page, not here."""
    data = {}
    for fact, keyword in TEMPLATE_KEYWORDS[template].items():
        value = payload.get(fact)
        if value is None and f"{fact}_fen" in payload:
            value = yuan(payload[f"{fact}_fen"])
        text = WORDS.get(str(value), str(value)) if value not in (None, "") else "-"
        kind = keyword.rstrip("0123456789")
        data[keyword] = {"value": text[: MAX_LENGTH.get(kind, 32)]}
    return data


class WeChatSubscribeSender(ports.MessageSender):
    def send(self, *, openid: str, template: str, page: str, payload: dict) -> None:
        try:
            # A savepoint: whatever the channel wrote is undone if it fails, and the caller's
            # transaction stays usable to record the failure.
            with transaction.atomic():
                integration.send_subscribe_message(
                    touser=openid,
                    template_id=template_id(template),
                    page=page,
                    data=wechat_data(template, payload),
                )
        except Exception as exc:  # best effort: any failure of the channel is recorded, never raised
            raise SendFailed(f"{type(exc).__name__}: {exc}") from exc

    def send_all(self, messages: list[dict]) -> list[str]:
        try:
            with transaction.atomic():  # one savepoint for the channel's writes of them all
                return integration.send_subscribe_messages(
                    messages=[
                        {
                            "touser": message["openid"],
                            "template_id": template_id(message["template"]),
                            "page": message["page"],
                            "data": wechat_data(message["template"], message["payload"]),
                        }
                        for message in messages
                    ]
                )
        except Exception as exc:  # best effort: the channel broke for them all
            return [f"{type(exc).__name__}: {exc}"] * len(messages)
