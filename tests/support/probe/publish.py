"""`python -m tests.support.probe.publish COUNT PER_TRANSACTION` (live settings): publish COUNT
ProbeFired events, PER_TRANSACTION a transaction, through the real unit of work, outbox and
relay; prints nothing."""

import sys

import django

django.setup()

from contexts.shared.adapters.uow import DjangoUnitOfWork  # noqa: E402
from contexts.shared.domain.events import DomainEvent  # noqa: E402


def publish(count: int, per_transaction: int) -> None:
    for start in range(0, count, per_transaction):
        with DjangoUnitOfWork() as uow:
            for number in range(start, min(count, start + per_transaction)):
                uow.publish(DomainEvent("ProbeFired", "Probe", str(number), {"number": number}))
            uow.commit()


if __name__ == "__main__":
    publish(int(sys.argv[1]), int(sys.argv[2]))
