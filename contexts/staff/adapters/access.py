"""Staff's answer to the kernel's StoreAccess port, installed by StaffConfig.ready()."""

from contexts.shared.domain.ports import StoreAccess
from contexts.staff import queries


class StaffAccess(StoreAccess):
    def authorize(self, *, user_id: str | None, store_id: str, operation: str) -> str:
        return queries.authorize(user_id, store_id, operation)

    def role_of(self, *, user_id: str | None, store_id: str) -> str | None:
        return queries.role_of(user_id, store_id)

    def roles_of_user(self, user_id: str | None) -> dict[str, str]:
        return queries.store_ids_of(user_id)
