"""Identity, behind staff's PhoneBook port."""

from contexts.identity import queries as identity_queries
from contexts.staff.domain.ports import Person, PhoneBook


class IdentityPhoneBook(PhoneBook):
    def find(self, phone: str) -> Person | None:
        user = identity_queries.user_by_phone(phone)
        return Person(user_id=user.id, nickname=user.nickname, phone=user.phone) if user else None
