"""customer's calls into identity, store and staff through their published queries."""

from contexts.customer.domain import ports
from contexts.identity import queries as identity_queries
from contexts.staff import queries as staff_queries
from contexts.store import queries as store_queries


class IdentityUsers(ports.Users):
    def nickname(self, user_id: str) -> str:
        user = identity_queries.user_info(user_id)
        return user.nickname if user else ""


class StoreQueries(ports.Stores):
    def ensure_exists(self, store_id: str) -> None:
        store_queries.store_summary(store_id)


class StaffQueries(ports.StaffPolicy):
    def authorize(self, *, user_id: str, store_id: str, operation: str) -> str:
        return staff_queries.authorize(user_id=user_id, store_id=store_id, operation=operation)
