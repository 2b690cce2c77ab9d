"""The shared kernel's wiring: bind() by parameter name, repositories that see what they load
and add, and the unit of work that collects those aggregates' events (no database)."""

import types
from dataclasses import dataclass

import pytest

from contexts.shared import bootstrap
from contexts.shared.domain.ports import Repository, StoreAccess
from contexts.shared.domain.seedwork import AggregateRoot
from tests.support.fakes import FakeUnitOfWork


def _services_module():
    """A services module as a context writes one: use cases, a private helper, an import."""
    module = types.ModuleType("fake_services")
    source = """
from os.path import join  # an imported function is not a use case

def open_thing(*, uow, clock, name):
    return (uow, clock, name)

def rename_thing(*, uow, name, shout=False):
    return (uow, name.upper() if shout else name)

def _helper(*, uow):
    return uow
"""
    exec(compile(source, "fake_services", "exec"), module.__dict__)
    return module


def test_bind_fills_each_named_dependency_by_calling_its_factory_on_every_call():
    # given
    made = []

    def uow():
        made.append(object())
        return made[-1]

    use_cases = bootstrap.bind(_services_module(), uow=uow, clock=lambda: "the clock")
    # when
    first = use_cases["open_thing"](name="a")
    second = use_cases["open_thing"](name="b")
    renamed = use_cases["rename_thing"](name="c", shout=True)
    # then: a fresh unit of work per call, the caller's own arguments passed as they are
    assert (first, second, renamed) == (
        (made[0], "the clock", "a"),
        (made[1], "the clock", "b"),
        (made[2], "C"),
    )
    assert len(made) == 3
    # and only the module's own public functions are use cases
    assert sorted(use_cases) == ["open_thing", "rename_thing"]


def test_a_kernel_port_nobody_provides_fails_loudly_when_used():
    class Unprovided(StoreAccess):
        pass

    factory = bootstrap._provided_for(Unprovided)
    with pytest.raises(RuntimeError, match="no adapter provides Unprovided"):
        factory()


@dataclass(eq=False)
class Thing(AggregateRoot):
    name: str = ""


class Things(Repository):
    def __init__(self) -> None:
        self.rows: dict = {}

    def get(self, thing_id):
        return self.rows.get(thing_id)

    def add(self, thing):
        self.rows[thing.id] = thing

    def all(self):
        return list(self.rows.values())

    def count(self):
        return len(self.rows)


def test_the_unit_of_work_collects_the_events_of_what_its_repositories_loaded_or_added():
    # given a thing stored earlier, and one never loaded
    things = Things()
    loaded, untouched = Thing(id="t1", name="old"), Thing(id="t2")
    things.rows = {"t1": loaded, "t2": untouched}
    uow = FakeUnitOfWork(things=things)
    untouched.record("ThingIgnored")
    # when a use case loads one, adds another, and both record events
    with uow:
        thing = uow.things.get("t1")
        thing.record("ThingRenamed", name="new")
        fresh = Thing(id="t3")
        fresh.record("ThingCreated")
        uow.things.add(fresh)
        uow.commit()
    # then exactly their events were written, in the order the repository saw them
    assert uow.event_types() == ["ThingRenamed", "ThingCreated"]
    assert [event.event_type for event in untouched.pull_events()] == ["ThingIgnored"]


def test_aggregates_in_a_returned_list_are_seen_and_what_was_seen_is_forgotten_at_the_next_use_case():
    things = Things()
    things.rows = {"t1": Thing(id="t1")}
    uow = FakeUnitOfWork(things=things)
    with uow:
        [thing] = uow.things.all()
        thing.record("ThingListed")
        assert uow.things.count() == 1  # a method returning no aggregate sees nothing
        uow.commit()
    with uow:  # a new use case: nothing is seen yet, so nothing is written
        uow.commit()
    assert uow.event_types() == ["ThingListed"]
