"""Identity's view of the integration context, through integration's services only."""

from contexts.identity.domain.ports import SmsGateway, WeChatIdentity, WeChatLogin
from contexts.integration import services as integration


class IntegrationWeChatLogin(WeChatLogin):
    def identify(self, code: str) -> WeChatIdentity:
        session = integration.code2session(code=code)
        return WeChatIdentity(openid=session.openid, unionid=session.unionid)


class IntegrationSmsGateway(SmsGateway):
    def send_code(self, phone: str, purpose: str, code: str) -> None:
        integration.send_sms_code(phone=phone, purpose=purpose, code=code)
