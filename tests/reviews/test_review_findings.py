"""What a review of the review pages found, each kept from coming back."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from conference.models import Role
from notifications.models import OutboxMessage
from reviews import services
from reviews.auto_assign import request_run
from reviews.models import AssignmentRun
from reviews.reminders import send_review_reminders
from submissions.models import Conflict, Submission
from submissions.services import chairs_paper
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


def person(edition, kind, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def chair(edition):
    return person(edition, Role.Kind.CHAIR)


def withdraw(paper):
    Submission.objects.filter(pk=paper.pk).update(state=Submission.State.WITHDRAWN)
    paper.refresh_from_db()


def test_a_chair_named_as_coauthor_by_address_does_not_chair_that_paper(edition, chair):
    paper = SubmissionFactory(edition=edition, state=Submission.State.SUBMITTED)
    AuthorshipFactory(submission=paper, user=None, email=chair.email.upper(), position=2)
    assert not Submission.objects.organised_by(chair).filter(pk=paper.pk).exists()
    assert not chairs_paper(paper, chair)


def test_a_withdrawn_paper_leaves_its_reviewers_list_reminders_and_form(client, edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER)
    paper = SubmissionFactory(edition=edition, state=Submission.State.SUBMITTED)
    assignment = services.assign(submission=paper, reviewer=reviewer, by=chair)
    withdraw(paper)
    client.force_login(reviewer)
    assert client.get(f"/calls/sse/2028/review/papers/{paper.number}/").status_code == 404
    send_review_reminders(now=edition.review_deadline + timedelta(days=1))
    assert not OutboxMessage.objects.filter(recipient=reviewer.email, subject__contains="overdue").exists()
    with pytest.raises(ValidationError, match="no longer under review"):
        services.save_review(assignment=assignment, by=reviewer, data={}, submit=False, revision=0)


def test_a_paper_that_is_not_under_review_cannot_be_assigned(edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER)
    draft = SubmissionFactory(edition=edition, state=Submission.State.DRAFT)
    with pytest.raises(ValidationError, match="not under review"):
        services.assign(submission=draft, reviewer=reviewer, by=chair)


def test_a_review_saved_from_a_page_opened_before_a_decline_is_refused(edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER)
    paper = SubmissionFactory(edition=edition, state=Submission.State.SUBMITTED)
    on_the_page = services.assign(submission=paper, reviewer=reviewer, by=chair)
    services.decline(assignment=on_the_page, by=reviewer, reason="No time")  # in another tab
    with pytest.raises(ValidationError, match="not your review"):
        services.save_review(assignment=on_the_page, by=reviewer, data={}, submit=False, revision=0)


def test_a_second_chair_is_told_to_wait_and_never_handed_the_others_run(edition, chair):
    other = person(edition, Role.Kind.CHAIR)
    first = request_run(edition=edition, by=chair)
    assert request_run(edition=edition, by=chair) == first  # a double click
    with pytest.raises(ValidationError) as refusal:
        request_run(edition=edition, by=other)
    assert refusal.value.code == "busy"
    assert AssignmentRun.objects.count() == 1


def test_the_preview_leaves_out_a_paper_the_chair_came_into_conflict_with(client, edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER, name="Rhea Reviewer")
    paper = SubmissionFactory(
        edition=edition, title="Conflicted since the run", state=Submission.State.SUBMITTED
    )
    reason = {"bid": "", "shared_topics": [], "most_similar": "", "score": 1}
    run = AssignmentRun.objects.create(
        edition=edition, requested_by=chair, state="ready",
        proposal=[{"paper": paper.pk, "reviewer": reviewer.pk, "reason": reason}],
    )  # fmt: skip
    client.force_login(chair)
    url = f"/calls/sse/2028/chair/review/automatic/{run.pk}/"
    assert "Conflicted since the run" in client.get(url).content.decode()
    Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    page = client.get(url).content.decode()
    assert "Conflicted since the run" not in page and "Rhea Reviewer" not in page
