"""Integration tests: real PostgreSQL, Redis, Celery worker processes and an SMTP server.

The fixtures live in tests/services.py. A failing test's report carries every worker's log and
the outbox as it stood, so that a red CI run can be read without running it again.
"""

import os
import uuid
from collections import Counter

import pytest

from tests.services import celery_workers, mailbox, real_services, smtp_server  # noqa: F401


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own (test_convene_<pid>).

    Several people may run these tests against one PostgreSQL at once: with the shared name, one
    run's setup drops the database another run's workers are using.
    """
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.postgresql":
            test = db.setdefault("TEST", {})
            test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_{os.getpid()}"


def outbox_summary() -> str:
    from notifications.models import OutboxMessage

    rows = list(OutboxMessage.objects.order_by("pk").values("pk", "state", "attempts", "last_error"))
    states = Counter(row["state"] for row in rows)
    errors = Counter(row["last_error"] for row in rows if row["last_error"])
    lines = [f"{len(rows)} outbox rows: {dict(states)}"]
    lines += [f"  {count} × last_error {error!r}" for error, count in errors.most_common(5)]
    return "\n".join(lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    workers = item.funcargs.get("celery_workers")
    if workers is not None:
        report.sections.append(("Celery worker logs", workers.logs()))
    if "real_services" in item.funcargs:
        try:
            report.sections.append(("Outbox", outbox_summary()))
        except Exception as exc:  # noqa: BLE001 - a report must not hide the failure it reports
            report.sections.append(("Outbox", f"could not be read: {exc!r}"))


@pytest.fixture
def private_queue(real_services):  # noqa: F811 - the fixture imported above
    """Tasks sent on commit go to a queue of this test's own, emptied at the end (no worker takes them
    unless the test starts one on that queue)."""
    from config.celery import app

    queue = f"convene-test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous
    purge(queue)


def purge(queue: str) -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


def messages_in(queue: str) -> int:
    from config.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count
