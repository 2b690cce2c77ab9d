"""The shared kernel's ports: the unit of work and repository bases every context builds on,
and the few ports every context needs, each answered by one context for all (DESIGN.md,
"Import rules"): the clock, who may act in a store (staff), which stores exist (store) and
who a user is (identity). A context reaches them through contexts.shared.bootstrap, never by
importing the context that answers."""

import abc
from datetime import datetime
from functools import wraps
from types import FunctionType

from contexts.shared.domain.events import DomainEvent
from contexts.shared.domain.seedwork import AggregateRoot


def _seeing(method):
    """A repository method that marks every aggregate it takes or returns as seen."""

    @wraps(method)
    def call(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        for value in (result, *args, *kwargs.values()):
            if isinstance(value, AggregateRoot):
                self.seen[id(value)] = value
            elif isinstance(value, list):
                self.seen.update((id(item), item) for item in value if isinstance(item, AggregateRoot))
        return result

    return call


class Repository:
    """Base of every repository port. Its public methods are wrapped once, where a class defines
    them, so every aggregate loaded or added through it is seen by the unit of work that holds
    it (cosmicpython's `seen`): no use case collects events by hand."""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            plain = isinstance(member, FunctionType) and not name.startswith("_")
            if plain and not getattr(member, "__isabstractmethod__", False):
                setattr(cls, name, _seeing(member))

    @property
    def seen(self) -> dict[int, AggregateRoot]:
        return self.__dict__.setdefault("_seen", {})


class UnitOfWork(abc.ABC):
    """One use case's transaction over the context's repositories (its attributes): the
    aggregates they loaded or added are saved and their events reach the outbox together, or
    nothing happens at all."""

    def __enter__(self) -> "UnitOfWork":
        for repository in self._repositories():
            repository.seen.clear()
        self._loose_events: list[DomainEvent] = []
        self._committed = False
        self._begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._end(commit=exc_type is None and self._committed, exc_type=exc_type, exc=exc, tb=tb)

    def publish(self, event: DomainEvent) -> None:
        """An event of no aggregate (a fact about several, or about none)."""
        self._loose_events.append(event)

    def commit(self) -> None:
        events = [
            event
            for repository in self._repositories()
            for aggregate in repository.seen.values()
            for event in aggregate.pull_events()
        ]
        events += self._loose_events
        self._loose_events = []
        if events:
            self._write_events(events)
        self._committed = True

    def _repositories(self) -> list[Repository]:
        return [value for value in vars(self).values() if isinstance(value, Repository)]

    @abc.abstractmethod
    def _begin(self) -> None: ...

    @abc.abstractmethod
    def _write_events(self, events: list[DomainEvent]) -> None: ...

    @abc.abstractmethod
    def _end(self, *, commit: bool, exc_type, exc, tb) -> None: ...


class Clock(abc.ABC):
    @abc.abstractmethod
    def now(self) -> datetime:
        """Aware local time."""


class StoreAccess(abc.ABC):
    """May this user run this operation in this store? Answered by staff, the same for every
    store-scoped operation of every context."""

    @abc.abstractmethod
    def authorize(self, *, user_id: str | None, store_id: str, operation: str) -> str:
        """The caller's role ("owner" | "manager" | "clerk"), or PermissionDenied."""

    @abc.abstractmethod
    def role_of(self, *, user_id: str | None, store_id: str) -> str | None: ...

    @abc.abstractmethod
    def roles_of_user(self, user_id: str | None) -> dict[str, str]:
        """{store_id: role} of every store where the user is staff."""


class StoreDirectory(abc.ABC):
    """Which stores exist and what every context may know of them. Answered by store."""

    @abc.abstractmethod
    def require(self, store_id: str) -> None:
        """NotFound for an unknown store."""

    @abc.abstractmethod
    def is_active(self, store_id: str) -> bool:
        """False for a frozen or unknown store."""

    @abc.abstractmethod
    def pickup_point_ids(self, store_id: str) -> list[str]: ...

    @abc.abstractmethod
    def names(self, store_ids: list[str]) -> dict[str, str]: ...


class UserDirectory(abc.ABC):
    """What every context may know of a user. Answered by identity."""

    @abc.abstractmethod
    def nicknames(self, user_ids: list[str]) -> dict[str, str]: ...

    @abc.abstractmethod
    def openid_of(self, user_id: str) -> str | None: ...

    def openids(self, user_ids: list[str]) -> dict[str, str]:
        """{user id: openid} of those of `user_ids` that have one."""
        found = {user_id: self.openid_of(user_id) for user_id in user_ids}
        return {user_id: openid for user_id, openid in found.items() if openid}
