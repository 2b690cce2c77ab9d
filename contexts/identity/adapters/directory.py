"""Identity's answer to the kernel's UserDirectory port, installed by IdentityConfig.ready()."""

from contexts.identity import queries
from contexts.shared.domain.ports import UserDirectory


class IdentityUserDirectory(UserDirectory):
    def nicknames(self, user_ids: list[str]) -> dict[str, str]:
        return {user_id: user.nickname for user_id, user in queries.users_by_ids(user_ids).items()}

    def openid_of(self, user_id: str) -> str | None:
        return queries.openid_of(user_id)

    def openids(self, user_ids: list[str]) -> dict[str, str]:
        return queries.openids(user_ids)
