"""django-q2 entry points of the event machinery."""

from contexts.shared import eventbus


def deliver_event(event_id: str, handler: str) -> str:
    return eventbus.deliver(event_id=event_id, handler=handler)


def sweep_events() -> dict:
    return eventbus.sweep()
