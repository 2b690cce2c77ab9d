"""In-memory fakes of the shared kernel's ports, written once for every context's unit tests."""

from copy import deepcopy
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from contexts.shared.domain.errors import NotFound
from contexts.shared.domain.ports import Clock, StoreAccess, StoreDirectory, UnitOfWork, UserDirectory
from contexts.staff.domain import roles

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=SHANGHAI)


def stored(aggregate):
    """A copy as a database keeps it: state only, no pending events."""
    copy = deepcopy(aggregate)
    copy.pull_events()
    return copy


class FakeUnitOfWork(UnitOfWork):
    """A transaction over in-memory repositories: each keeps its state in `rows` (any value a
    deepcopy can restore); a use case that fails restores them all. `events` holds what the
    committed use cases published, in order."""

    def __init__(self, **repositories) -> None:
        for name, repository in repositories.items():
            setattr(self, name, repository)
        self.events = []
        self.commits = 0

    def _begin(self) -> None:
        self._before = {name: deepcopy(repo.rows) for name, repo in self._named_repositories()}
        self._pending = []

    def _write_events(self, events) -> None:
        self._pending = list(events)

    def _end(self, *, commit, exc_type, exc, tb) -> None:
        if commit:
            self.events += self._pending
            self.commits += 1
        else:
            for name, repository in self._named_repositories():
                repository.rows = self._before[name]

    def _named_repositories(self):
        return [(name, repo) for name, repo in vars(self).items() if hasattr(repo, "rows")]

    def event_types(self) -> list[str]:
        return [event.event_type for event in self.events]


class FixedClock(Clock):
    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


class FakeAccess(StoreAccess):
    """Staff's answer from a table {(user_id, store_id): role}, by staff's own role matrix."""

    def __init__(self, roles_by_member: dict | None = None) -> None:
        self.roles = dict(roles_by_member or {})

    def authorize(self, *, user_id, store_id, operation) -> str:
        return roles.require(self.role_of(user_id=user_id, store_id=store_id), operation)

    def role_of(self, *, user_id, store_id):
        return self.roles.get((user_id, store_id))

    def roles_of_user(self, user_id) -> dict:
        return {store: role for (user, store), role in self.roles.items() if user == user_id}


class FakeStoreDirectory(StoreDirectory):
    """Stores by id: {"active": bool, "name": str, "points": [ids]}."""

    def __init__(self, stores: dict | None = None) -> None:
        self.stores = dict(stores or {})

    def add(self, store_id: str, *, name: str = "", active: bool = True, points=()) -> None:
        self.stores[store_id] = {"active": active, "name": name or store_id, "points": list(points)}

    def require(self, store_id) -> None:
        if store_id not in self.stores:
            raise NotFound("No such store.")

    def is_active(self, store_id) -> bool:
        return self.stores.get(store_id, {}).get("active", False)

    def pickup_point_ids(self, store_id) -> list[str]:
        return list(self.stores.get(store_id, {}).get("points", []))

    def names(self, store_ids) -> dict:
        return {sid: self.stores[sid]["name"] for sid in store_ids if sid in self.stores}


class FakeUserDirectory(UserDirectory):
    def __init__(self, users: dict | None = None) -> None:
        self.users = dict(users or {})  # {user_id: {"nickname": ..., "openid": ...}}

    def nicknames(self, user_ids) -> dict:
        return {uid: self.users[uid].get("nickname", "") for uid in user_ids if uid in self.users}

    def openid_of(self, user_id):
        return self.users.get(user_id, {}).get("openid")
