"""Other contexts, behind store's ports: identity checks SMS codes, staff answers who may act."""

from contexts.identity import bootstrap as identity
from contexts.staff import queries as staff_queries
from contexts.store.domain.ports import SmsCodeVerifier, StoreAccess


class IdentitySmsCodeVerifier(SmsCodeVerifier):
    def verify(self, *, phone: str, purpose: str, code: str) -> None:
        identity.verify_sms_code(phone=phone, purpose=purpose, code=code)


class StaffStoreAccess(StoreAccess):
    def authorize(self, *, user_id: str, store_id: str, operation: str) -> str:
        return staff_queries.authorize(user_id=user_id, store_id=store_id, operation=operation)
