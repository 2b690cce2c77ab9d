"""Store's answer to the kernel's StoreDirectory port, installed by StoreConfig.ready()."""

from contexts.shared.domain.ports import StoreDirectory
from contexts.store import queries


class StoreQueriesDirectory(StoreDirectory):
    def require(self, store_id: str) -> None:
        queries.store_summary(store_id)

    def is_active(self, store_id: str) -> bool:
        return queries.is_active(store_id)

    def pickup_point_ids(self, store_id: str) -> list[str]:
        return [point.id for point in queries.pickup_points(store_id)]

    def names(self, store_ids: list[str]) -> dict[str, str]:
        return queries.store_names(store_ids)
