"""What production answers while no provider of a channel is configured (GROUPBUY_SANDBOX off)."""

from contexts.integration.contracts import MessageNotSent, SubscribeMessage
from contexts.integration.ports import SmsSender, SubscribeMessageSender


class NotConfigured(RuntimeError):
    pass


class UnconfiguredSmsSender(SmsSender):
    def send_code(self, phone: str, purpose: str, code: str) -> None:
        raise NotConfigured("No production SMS provider is configured (GROUPBUY_SANDBOX is off).")


class UnconfiguredSubscribeMessageSender(SubscribeMessageSender):
    def send(self, message: SubscribeMessage) -> None:
        # MessageNotSent, not NotConfigured: a notification fails and is shown, it never breaks a caller.
        raise MessageNotSent(
            "No production WeChat subscribe-message sender is configured (GROUPBUY_SANDBOX is off)."
        )
