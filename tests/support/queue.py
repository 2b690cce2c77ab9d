"""django-q2 as a web process meets it: tasks go to the ORM broker's queue and wait for a
cluster, instead of running inline as the suite's settings make them."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase
from django_q.conf import Conf


@contextmanager
def queue_only() -> Iterator[None]:
    """Tasks queued inside are left in the queue, not run."""
    Conf.SYNC = False
    try:
        yield
    finally:
        Conf.SYNC = True


@contextmanager
def relayed_to_the_queue() -> Iterator[None]:
    """The events committed inside are relayed on the way out, as after a web request's commit:
    their deliveries recorded and their tasks queued, not run."""
    with TestCase.captureOnCommitCallbacks(execute=False) as relays:
        yield
    with queue_only():
        for relay in relays:
            relay()
