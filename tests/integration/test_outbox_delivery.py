"""The outbox end to end: real Celery worker processes, PostgreSQL, Redis and an SMTP server.

What DESIGN.md ("Mail") promises: a mail queued in a committed transaction goes out once, a
rolled-back one never; racing or retried tasks never send a row twice; a worker that dies
mid-send leaves rows `unknown` for staff (never resent), and the rest are delivered by the
next worker; an SMTP outage delays mail but loses none.
"""

import time
from collections import Counter
from functools import partial

import pytest
from django.db import transaction

from notifications.models import OutboxMessage
from notifications.services import queue_mail
from notifications.tasks import send_outbox_message
from tests.services import wait_until

State = OutboxMessage.State
BATCH = 200


class Rollback(Exception):
    pass


def queue_batch(count: int, prefix: str, *, also=None) -> list[OutboxMessage]:
    """Queue `count` mails in one committed transaction; `also(row)` runs in it after each one."""
    rows = []
    with transaction.atomic():
        for i in range(count):
            row = queue_mail(
                to=f"{prefix}-{i}@example.org",
                subject=f"{prefix} {i}",
                text=f"Mail {i} of {count}.",
                key=f"{prefix}-{i}",
            )
            if also:
                also(row)
            rows.append(row)
    return rows


def states() -> Counter:
    return Counter(OutboxMessage.objects.values_list("state", flat=True))


def describe_outbox() -> str:
    return f"outbox states: {dict(states())}"


def wait_for_rows(predicate, message: str, *, timeout: float = 30):
    """Wait until `predicate(rows)` holds for all outbox rows, read afresh from the database."""
    return wait_until(
        lambda: predicate(list(OutboxMessage.objects.order_by("pk"))),
        timeout=timeout,
        message=message,
        describe=describe_outbox,
    )


def wait_until_all_sent(count: int, *, timeout: float = 30) -> None:
    wait_for_rows(
        lambda rows: len(rows) == count and all(row.state == State.SENT for row in rows),
        f"all {count} outbox rows to be sent",
        timeout=timeout,
    )


def send_sentinel_and_wait(mailbox) -> OutboxMessage:
    """Queue a committed mail and wait for it: whatever the worker had before, it has handled by now."""
    with transaction.atomic():
        sentinel = queue_mail(to="sentinel@example.org", subject="Sentinel", text="Last one.", key="sentinel")
    wait_until(
        lambda: sentinel.message_id in mailbox.message_ids(),
        timeout=20,
        message="the sentinel mail at the SMTP server",
        describe=describe_outbox,
    )
    return sentinel


def assert_arrived_once_each(mailbox, rows) -> None:
    arrived = Counter(mailbox.message_ids())
    twice = {message_id: n for message_id, n in arrived.items() if n > 1}
    assert not twice, f"Message-IDs that arrived more than once: {twice}"
    expected = {row.message_id for row in rows}
    assert len(expected) == len(rows), "two rows share a Message-ID"
    assert set(arrived) == expected, (
        f"{len(expected - set(arrived))} rows never arrived, "
        f"{len(set(arrived) - expected)} mails arrived that match no row"
    )


def test_mail_queued_in_committed_transaction_arrives_once_with_its_message_id(celery_workers, mailbox):
    celery_workers.start()

    with transaction.atomic():
        row = queue_mail(to="author@example.org", subject="Your paper", text="Accepted!", key="decision-1")
        # The worker is up: a task sent before the commit would find no row and the mail would be
        # lost. Holding the transaction open a moment gives such a bug the time to show.
        time.sleep(0.3)
        assert mailbox.mails == []

    wait_until_all_sent(1)
    send_sentinel_and_wait(mailbox)

    row.refresh_from_db()
    mails = [mail for mail in mailbox.mails if mail.message_id == row.message_id]
    assert len(mails) == 1, f"expected one mail with {row.message_id}, got {mailbox.message_ids()}"
    assert mails[0].to == ["author@example.org"]
    assert mails[0].subject == "Your paper"
    assert mailbox.body_of(mails[0]).strip() == "Accepted!"
    assert row.state == State.SENT
    assert row.attempts == 1
    assert row.sent_at is not None


def test_mail_queued_in_rolled_back_transaction_never_arrives(celery_workers, mailbox):
    celery_workers.start()

    with pytest.raises(Rollback), transaction.atomic():
        queue_mail(to="nobody@example.org", subject="Never", text="Never sent.", key="rolled-back")
        raise Rollback

    assert not OutboxMessage.objects.exists()
    # Tasks are handled in order: once a mail queued after it has arrived, the rolled-back one
    # would have arrived too.
    sentinel = send_sentinel_and_wait(mailbox)

    assert mailbox.message_ids() == [sentinel.message_id]
    assert not any("nobody@example.org" in mail.to for mail in mailbox.mails)
    assert list(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == ["sentinel"]


def test_same_idempotency_key_queued_in_two_committed_transactions_sends_one_mail(celery_workers, mailbox):
    with transaction.atomic():
        first = queue_mail(
            to="reviewer@example.org", subject="Reminder", text="Please review.", key="remind-7"
        )
    with transaction.atomic():
        second = queue_mail(
            to="reviewer@example.org", subject="Reminder", text="Please review.", key="remind-7"
        )
    assert second.pk == first.pk
    assert second.message_id == first.message_id

    celery_workers.start()
    wait_until_all_sent(1)
    # And once more after it went out: still nothing new.
    with transaction.atomic():
        queue_mail(to="reviewer@example.org", subject="Reminder", text="Please review.", key="remind-7")
    sentinel = send_sentinel_and_wait(mailbox)

    assert sorted(mailbox.message_ids()) == sorted([first.message_id, sentinel.message_id])
    assert OutboxMessage.objects.filter(idempotency_key="remind-7").count() == 1


def test_two_workers_racing_for_the_same_rows_send_each_row_once(celery_workers, mailbox):
    # Each worker has its own queue and receives a task for every row; the tasks for one row go
    # out to both queues back to back, so that the two workers (two processes each) race for it.
    other_queue = f"{celery_workers.queue}-other"
    first = celery_workers.start(queues=[celery_workers.queue])
    second = celery_workers.start(queues=[other_queue])

    rows = queue_batch(
        BATCH,
        "race",
        also=lambda row: transaction.on_commit(
            partial(send_outbox_message.apply_async, (row.pk,), queue=other_queue)
        ),
    )

    wait_until_all_sent(BATCH)
    # Both workers handle all their tasks: the losing task of each race finds the row claimed.
    for worker in (first, second):
        wait_until(
            lambda worker=worker: celery_workers.count_in_log(worker, "] succeeded in") >= BATCH,
            timeout=30,
            message=f"worker {worker.name} to finish its {BATCH} tasks",
            describe=lambda worker=worker: (
                f"{celery_workers.count_in_log(worker, '] succeeded in')} finished"
            ),
        )
    for worker in (first, second):
        assert celery_workers.count_in_log(worker, "] received") == BATCH
        assert "ERROR" not in celery_workers.log_of(worker)

    assert_arrived_once_each(mailbox, rows)
    assert all(row.attempts == 1 for row in OutboxMessage.objects.all())


def test_worker_killed_mid_batch_sends_no_row_twice_and_leaves_none_stuck(celery_workers, mailbox):
    doomed = celery_workers.start()
    # The SMTP server stops answering once it holds 50 mails: the worker's pool processes are then
    # all mid-send (rows claimed, the DATA sent, no answer yet) when it is killed.
    mailbox.stall_after = 50
    rows = queue_batch(BATCH, "batch")
    wait_until(
        lambda: len(mailbox.mails) >= 50 and mailbox.in_flight >= 2,
        timeout=30,
        message="50 mails delivered and both pool processes waiting on the SMTP server",
        describe=lambda: f"{len(mailbox.mails)} mails, {mailbox.in_flight} in flight; {describe_outbox()}",
    )

    celery_workers.kill(doomed)
    # The dead clients' connections drop and the server forgets their half-sent mails; after
    # that it answers normally again.
    wait_until(lambda: mailbox.in_flight == 0, timeout=10, message="the killed worker's connections to drop")
    mailbox.stall_after = None
    at_kill = dict(OutboxMessage.objects.values_list("pk", "state"))
    by_state = Counter(at_kill.values())
    assert by_state[State.SENDING] >= 1, f"the kill did not land mid-send: {dict(by_state)}"
    assert 0 < by_state[State.SENT] < BATCH, f"the kill did not land mid-batch: {dict(by_state)}"

    # A new worker with beat: its sweeper turns stale `sending` rows into `unknown` and re-queues
    # the `queued` rows whose tasks died with the old worker.
    celery_workers.start(beat=True)
    wait_for_rows(
        lambda rows: not any(row.state in (State.QUEUED, State.SENDING) for row in rows),
        "no row left queued or sending",
    )

    final = {row.pk: row for row in OutboxMessage.objects.all()}
    assert len(final) == BATCH
    assert {row.state for row in final.values()} <= {State.SENT, State.UNKNOWN}, describe_outbox()
    for pk, state in at_kill.items():
        if state == State.SENDING:
            assert final[pk].state == State.UNKNOWN, f"row {pk} was mid-send at the kill: must be unknown"
            assert "may or may not have been sent" in final[pk].last_error
        else:
            assert final[pk].state == State.SENT, f"row {pk} was {state} at the kill: must end sent"

    arrived = Counter(mailbox.message_ids())
    assert not [message_id for message_id, n in arrived.items() if n > 1], "a Message-ID arrived twice"
    assert set(arrived) <= {row.message_id for row in rows}
    missing = [row.pk for row in final.values() if row.state == State.SENT and row.message_id not in arrived]
    assert not missing, f"rows marked sent whose mail never arrived: {missing}"


def test_smtp_outage_delays_mail_and_every_row_arrives_once_when_the_server_returns(celery_workers, mailbox):
    celery_workers.start()
    mailbox.stop()

    rows = queue_batch(20, "outage")
    # Every row has been tried (twice, so retries do happen), failed and gone back to the queue.
    wait_for_rows(
        lambda rows: (
            len(rows) == 20
            and all(row.state == State.QUEUED and row.attempts >= 2 and row.last_error for row in rows)
        ),
        "every row back in the queue after two failed attempts",
    )
    assert not OutboxMessage.objects.filter(state=State.SENT).exists()
    assert mailbox.mails == []
    errors = set(OutboxMessage.objects.values_list("last_error", flat=True))
    assert all(error.startswith(("ConnectionRefusedError", "OSError", "SMTP")) for error in errors), errors

    mailbox.start()  # the same port
    wait_until_all_sent(20)
    send_sentinel_and_wait(mailbox)

    assert_arrived_once_each(mailbox, [*rows, OutboxMessage.objects.get(idempotency_key="sentinel")])


def test_mail_whose_acceptance_is_answered_too_late_is_marked_unknown_and_never_resent(
    celery_workers, mailbox
):
    # The server accepts the mail but its answer comes after the worker has given up waiting:
    # the mail went out, the worker cannot know it. Sending it again would duplicate it.
    celery_workers.start(EMAIL_TIMEOUT="1")
    mailbox.late_replies, mailbox.late_by = 1, 3

    (row,) = queue_batch(1, "late-reply")
    wait_for_rows(
        lambda rows: rows[0].state not in (State.QUEUED, State.SENDING) or rows[0].attempts > 1,
        "the worker to give up on the mail",
    )
    sentinel = send_sentinel_and_wait(mailbox)

    row.refresh_from_db()
    assert Counter(mailbox.message_ids()) == {row.message_id: 1, sentinel.message_id: 1}
    assert (row.state, row.attempts) == (State.UNKNOWN, 1), row.last_error
    assert "may or may not have been sent" in row.last_error


def test_mail_accepted_before_a_goodbye_that_times_out_is_sent_once(celery_workers, mailbox):
    # The server accepted the mail; only its answer to QUIT is late. The mail is sent, not failed.
    celery_workers.start(EMAIL_TIMEOUT="1")
    mailbox.late_goodbyes, mailbox.late_by = 1, 3

    (row,) = queue_batch(1, "late-goodbye")
    wait_for_rows(
        lambda rows: rows[0].state not in (State.QUEUED, State.SENDING) or rows[0].attempts > 1,
        "the worker to finish with the mail",
    )
    sentinel = send_sentinel_and_wait(mailbox)

    row.refresh_from_db()
    assert Counter(mailbox.message_ids()) == {row.message_id: 1, sentinel.message_id: 1}
    assert (row.state, row.attempts) == (State.SENT, 1), row.last_error
