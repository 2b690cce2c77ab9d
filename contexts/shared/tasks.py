"""django-q2 entry points of the event machinery."""

from collections import Counter

from contexts.shared import eventbus, retention


def deliver_events(batch: list[list[int]]) -> dict:
    """The deliveries of a few events (see eventbus.relay): how many ended in each status."""
    return dict(Counter(eventbus.deliver_batch(batch).values()))


def deliver_event(event_id: str, handler: str) -> str:
    """One delivery by event and handler: the task of earlier releases, still in a queue
    during an upgrade."""
    return eventbus.deliver(event_id=event_id, handler=handler)


def sweep_events() -> dict:
    return eventbus.sweep()


def prune_events() -> dict:
    return retention.prune()
