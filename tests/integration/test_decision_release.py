"""Releasing 500 decisions (1,200 authors) through real Celery workers, PostgreSQL and an SMTP server:
one mail per paper and author, no Message-ID twice, a second release sends nothing, and a worker
killed mid-release is replaced by one that finishes the job without sending anything twice.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conference.models import Role
from notifications.models import OutboxMessage
from reviews import decisions, release
from reviews.models import Decision, Release
from submissions.models import Authorship, Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory
from tests.services import wait_until

PAPERS = 500
SENT, UNKNOWN = OutboxMessage.State.SENT, OutboxMessage.State.UNKNOWN


def decided_call():
    """500 papers under review, 2 or 3 authors each (1,200 in all), every one decided, none released."""
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028)
    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    state = Submission.State.UNDER_REVIEW
    papers = Submission.objects.bulk_create(
        SubmissionFactory.build(edition=edition, number=n + 1, state=state, track=None, submission_type=None)
        for n in range(PAPERS)
    )
    Authorship.objects.bulk_create(
        # Universities of their own: an e-mail domain shared with the chair would be a conflict.
        Authorship(submission=paper, position=k, name=f"Author {n}-{k}", country="KE",
                   email=f"author-{n}-{k}@uni{n % 40}.example")
        for n, paper in enumerate(papers)
        for k in range(3 if n < 200 else 2)
    )  # fmt: skip
    accept, poster, reject = decisions.outcomes_for(edition)
    now = timezone.now()
    Decision.objects.bulk_create(
        Decision(submission=paper, outcome=(accept, poster, reject)[n % 3], decided_by=chair, decided_at=now)
        for n, paper in enumerate(papers)
    )
    return edition, chair


def expected_recipients() -> Counter:
    return Counter(Authorship.objects.values_list("email", flat=True))


def decision_rows():
    return OutboxMessage.objects.filter(idempotency_key__startswith="decision:")


def describe() -> str:
    states = Counter(decision_rows().values_list("state", flat=True))
    progress = list(Release.objects.values_list("state", "released", "total"))
    return f"outbox: {dict(states)}; releases: {progress}"


def wait_for_release(*, timeout: float = 180) -> None:
    wait_until(
        lambda: (
            Release.objects.filter(state=Release.State.DONE).exists()
            and decision_rows().count() == sum(expected_recipients().values())
            and not decision_rows()
            .filter(state__in=[OutboxMessage.State.QUEUED, OutboxMessage.State.SENDING])
            .exists()
        ),
        timeout=timeout,
        message="the release to finish and every decision mail to leave",
        describe=describe,
    )


def test_500_decisions_reach_each_author_once_and_a_second_release_sends_nothing(celery_workers, mailbox):
    edition, chair = decided_call()
    assert sum(expected_recipients().values()) == 1200
    celery_workers.start(concurrency=2)

    release.start_release(edition=edition, by=chair)
    wait_for_release()

    assert set(decision_rows().values_list("state", flat=True)) == {SENT}, describe()
    arrived = mailbox.mails
    ids = Counter(mail.message_id for mail in arrived)
    assert not [message_id for message_id, n in ids.items() if n > 1], "a Message-ID arrived twice"
    assert Counter(address for mail in arrived for address in mail.to) == expected_recipients()
    assert Submission.objects.filter(state=Submission.State.ACCEPTED).count() == 334  # accept and poster
    assert Submission.objects.filter(state=Submission.State.REJECTED).count() == 166

    with pytest.raises(ValidationError, match="nothing to release"):
        release.start_release(edition=edition, by=chair)
    release.run_release(Release.objects.get().pk)  # the task delivered once more: nothing happens
    assert decision_rows().count() == 1200
    assert len(mailbox.mails) == 1200


def test_a_worker_killed_mid_release_is_replaced_and_nothing_is_sent_twice(celery_workers, mailbox):
    edition, chair = decided_call()
    doomed = celery_workers.start(concurrency=2)

    release.start_release(edition=edition, by=chair)
    wait_until(
        lambda: Release.objects.get().released >= 50,
        timeout=60,
        message="the release to be under way",
        describe=describe,
    )
    celery_workers.kill(doomed)
    at_kill = Release.objects.get()
    assert at_kill.state == Release.State.RUNNING and at_kill.released < PAPERS, describe()

    # A new worker with beat: the sweepers resume the release (its heart stopped) and the outbox.
    celery_workers.start(concurrency=2, beat=True)
    wait_for_release()

    done = Release.objects.get()
    assert (done.released, done.problems) == (PAPERS, []), describe()
    assert not Decision.objects.filter(released_at__isnull=True).exists()
    rows = list(decision_rows())
    assert Counter(row.recipient for row in rows) == expected_recipients()  # one row per paper and author
    assert {row.state for row in rows} <= {SENT, UNKNOWN}, describe()
    ids = Counter(mail.message_id for mail in mailbox.mails)
    assert not [message_id for message_id, n in ids.items() if n > 1], "a Message-ID arrived twice"
    missing = [row.pk for row in rows if row.state == SENT and row.message_id not in ids]
    assert not missing, f"rows marked sent whose mail never arrived: {missing}"
    # Mails whose fate the kill left open are reported (unknown), never sent again.
    unknown = [row for row in rows if row.state == UNKNOWN]
    assert all("may or may not have been sent" in row.last_error for row in unknown)
