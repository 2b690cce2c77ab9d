"""Identity, behind staff's UserDirectory port."""

from contexts.identity import queries as identity_queries
from contexts.staff.domain.ports import Person, UserDirectory


class IdentityUserDirectory(UserDirectory):
    def find_by_phone(self, phone: str) -> Person | None:
        user_id = identity_queries.user_id_by_phone(phone)
        if user_id is None:
            return None
        info = identity_queries.user_info(user_id)
        if info is None:
            return None
        return Person(user_id=info.id, nickname=info.nickname, phone=info.phone)
