from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conference.models import Edition, Role
from notifications.models import OutboxMessage
from reviews.models import Assignment, Review, ReviewSettings
from reviews.reminders import reminder_due, send_review_reminders
from submissions.models import Conflict
from tests.factories import EditionFactory, SubmissionFactory, UserFactory


def test_the_schedule():
    deadline = timezone.now()
    day = timedelta(days=1)
    assert reminder_due(now=deadline - 8 * day, deadline=deadline) is None
    assert reminder_due(now=deadline - 7 * day, deadline=deadline) == "7d"
    assert reminder_due(now=deadline - 2 * day, deadline=deadline) == "7d"
    assert reminder_due(now=deadline - day, deadline=deadline) == "1d"
    assert reminder_due(now=deadline, deadline=deadline) == "late-1"
    assert reminder_due(now=deadline + 2 * day, deadline=deadline) == "late-1"
    assert reminder_due(now=deadline + 3 * day, deadline=deadline) == "late-2"
    assert reminder_due(now=deadline + 6 * day, deadline=deadline) == "late-3"


@pytest.fixture
def edition(db):
    return EditionFactory(blind_mode=Edition.BlindMode.DOUBLE)


def reviewer_with(edition, count, *, done=0):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    for index in range(count):
        assignment = Assignment.objects.create(submission=SubmissionFactory(edition=edition), reviewer=person)
        if index < done:
            Review.objects.create(assignment=assignment, state="submitted")
    return person


def mails_to(person):
    return OutboxMessage.objects.filter(
        recipient=person.email, idempotency_key__startswith="review-reminder:"
    )


def test_one_mail_for_several_papers_once_per_reminder_and_never_twice(edition):
    busy = reviewer_with(edition, 3, done=1)
    finished = reviewer_with(edition, 2, done=2)
    week_before = edition.review_deadline - timedelta(days=7)
    with time_machine.travel(week_before):
        assert send_review_reminders() == 1
        send_review_reminders()  # the hourly task again: nothing more
    assert mails_to(busy).count() == 1 and mails_to(finished).count() == 0
    body = mails_to(busy).get().body_text
    assert body.count("\n- ") == 2  # the two unfinished papers, in one mail
    with time_machine.travel(week_before + timedelta(days=3)):
        send_review_reminders()  # still the "7d" reminder: already sent
    assert mails_to(busy).count() == 1
    with time_machine.travel(edition.review_deadline - timedelta(hours=20)):
        send_review_reminders()
    assert mails_to(busy).count() == 2
    for days in range(0, 7):
        with time_machine.travel(edition.review_deadline + timedelta(days=days, hours=1)):
            send_review_reminders()
    assert mails_to(busy).count() == 2 + 3  # late-1, late-2, late-3 on days 0, 3 and 6


def test_at_most_one_mail_a_day_whatever_the_number_of_calls(edition):
    other = EditionFactory(cfp_opens_at=edition.cfp_opens_at)
    person = reviewer_with(edition, 1)
    Role.objects.create(edition=other, user=person, kind=Role.Kind.REVIEWER)
    Assignment.objects.create(submission=SubmissionFactory(edition=other), reviewer=person)
    with time_machine.travel(edition.review_deadline - timedelta(days=7)):
        send_review_reminders()
        send_review_reminders()
    assert mails_to(person).count() == 1
    with time_machine.travel(edition.review_deadline - timedelta(days=6)):
        send_review_reminders()  # the other call's reminder waits for the next day
    assert mails_to(person).count() == 2


def test_no_reminder_once_reviewing_is_closed_or_for_a_paper_in_conflict(edition):
    person = reviewer_with(edition, 1)
    Conflict.objects.create(submission=Assignment.objects.get().submission, user=person, kind="chair")
    with time_machine.travel(edition.review_deadline - timedelta(days=7)):
        send_review_reminders()
    assert mails_to(person).count() == 0
    Conflict.objects.all().delete()
    ReviewSettings.objects.create(edition=edition, reviewing_closed_at=edition.review_deadline)
    with time_machine.travel(edition.review_deadline + timedelta(days=1)):
        send_review_reminders()
    assert mails_to(person).count() == 0


def test_the_reminder_names_no_author_in_a_double_blind_call(edition):
    person = reviewer_with(edition, 1)
    paper = Assignment.objects.get().submission
    paper.authorships.update(name="Quillon Zarathustra", email="quillon@zara.example")
    with time_machine.travel(edition.review_deadline - timedelta(days=7)):
        send_review_reminders()
    mail = mails_to(person).get()
    assert paper.title in mail.body_text
    assert "Quillon" not in mail.body_text + mail.subject and "zara.example" not in mail.body_text
