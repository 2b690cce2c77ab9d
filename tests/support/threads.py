"""Real threads against the real database, started together."""

import threading
from collections.abc import Callable

from django.db import connection

from contexts.shared.domain.errors import Conflict


def run_at_once(calls: list[Callable], on_success: Callable = lambda result: result) -> list:
    """Start every call at the same moment; each thread closes its own connection. Returns one
    outcome per call: on_success(result), a Conflict's code, or the repr of any other error
    (so an unexpected error fails the test instead of vanishing with its thread)."""
    outcomes: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def worker(index: int, call: Callable) -> None:
        try:
            barrier.wait()
            outcomes[index] = on_success(call())
        except Conflict as exc:
            outcomes[index] = exc.code
        except Exception as exc:
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
