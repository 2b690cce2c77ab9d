"""Identity behind store's port: it checks the SMS codes that prove a store's phone."""

from contexts.identity import bootstrap as identity
from contexts.store.domain.ports import SmsCodeVerifier


class IdentitySmsCodeVerifier(SmsCodeVerifier):
    def verify(self, *, phone: str, purpose: str, code: str) -> None:
        identity.verify_sms_code(phone=phone, purpose=purpose, code=code)
