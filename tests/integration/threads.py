"""Real threads on real PostgreSQL: release several actions at the same instant and collect outcomes."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(*actions: Callable[[], object]) -> list[object]:
    """Run each action in its own thread, all released at the same instant; what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = action()
        except BaseException as exc:  # noqa: BLE001 - the test asserts on it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting (a deadlock?)"
    return outcomes


def errors_in(outcomes: list[object]) -> list[BaseException]:
    return [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
