"""A tiny aggregate whose events the event machinery's tests publish, and handlers that leave a
trace (a Django auth group per event) for them to count."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.test import TestCase

from bff.backoffice.operators import GROUP as OPERATORS
from contexts.shared.adapters.uow import DjangoUnitOfWork
from contexts.shared.domain.ports import Repository
from contexts.shared.domain.seedwork import AggregateRoot, new_id
from contexts.shared.models import EventDelivery
from tests.support.queue import relayed_to_the_queue

HERE = "tests.support.things"


def handler_groups():
    """The groups the test handlers wrote (the operators' group is there from migrate)."""
    return Group.objects.exclude(name=OPERATORS)


def make_group(event):
    Group.objects.create(name=event.payload["name"])


def make_other_group(event):
    Group.objects.create(name=f"{event.payload['name']} too")


@dataclass(eq=False)
class Thing(AggregateRoot):
    pass


class Things(Repository):
    def add(self, thing: Thing) -> None:
        pass  # a thing has no table: only its events are kept


class ThingsUow(DjangoUnitOfWork):
    def __init__(self) -> None:
        self.things = Things()


def publish(event_type: str, name: str = "alpha") -> str:
    with ThingsUow() as uow:
        thing = Thing(id=new_id())
        event = thing.record(event_type, name=name)
        uow.things.add(thing)
        uow.commit()
    return event.event_id


def publish_and_relay(event_type: str, name: str = "alpha") -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return publish(event_type, name)


def relayed_not_delivered(event_type: str, name: str) -> list[int]:
    """Publish an event and relay it as a web process does (its task queued, not run): the ids
    of its deliveries."""
    with relayed_to_the_queue():
        event_id = publish(event_type, name)
    return list(EventDelivery.objects.filter(event_id=event_id).values_list("pk", flat=True))
