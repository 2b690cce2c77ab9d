"""Store's one fake of its own port: identity's SMS-code check."""

from contexts.shared.domain.errors import InvalidInput
from contexts.store.domain.ports import SmsCodeVerifier


class FakeSms(SmsCodeVerifier):
    """Accepts `good_code` only (every code when it is None) and keeps what it was asked."""

    def __init__(self, good_code: str | None = "123456") -> None:
        self.good_code = good_code
        self.checked = []

    def verify(self, *, phone, purpose, code):
        self.checked.append((phone, purpose, code))
        if self.good_code is not None and code != self.good_code:
            raise InvalidInput("wrong code", code="invalid_sms_code")
