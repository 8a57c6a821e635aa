"""Reviewers are told when they are given papers: once per request, one mail per applied run."""

import pytest

from conference.models import Role
from notifications.models import OutboxMessage
from reviews import services
from reviews.auto_assign import apply_run
from reviews.models import AssignmentRun
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


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


def mails_to(user):
    return list(OutboxMessage.objects.filter(recipient=user.email).order_by("id"))


def test_a_reviewer_is_mailed_once_when_a_chair_assigns_a_paper(edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER, name="Rosa Reviewer")
    paper = SubmissionFactory(edition=edition, title="Mutual aid in Dakar")
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    services.assign(submission=paper, reviewer=reviewer, by=chair, locked=True)  # a double click, then a lock
    (mail,) = mails_to(reviewer)
    assert "1 paper to review" in mail.subject
    assert f"{paper.number}. Mutual aid in Dakar" in mail.body_text
    assert "/calls/sse/2028/review/" in mail.body_text


def test_asking_again_after_a_decline_mails_again(edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER)
    paper = SubmissionFactory(edition=edition)
    assignment = services.assign(submission=paper, reviewer=reviewer, by=chair)
    services.decline(assignment=assignment, by=reviewer, reason="Travelling")
    services.assign(submission=paper, reviewer=reviewer, by=chair)
    assert len(mails_to(reviewer)) == 2


def test_the_mail_follows_the_reviewers_language(edition, chair):
    reviewer = person(edition, Role.Kind.REVIEWER, preferred_language="fr")
    services.assign(submission=SubmissionFactory(edition=edition), reviewer=reviewer, by=chair)
    (mail,) = mails_to(reviewer)
    assert mail.language == "fr" and "1 communication à évaluer" in mail.subject


def test_an_applied_run_sends_each_reviewer_one_mail_listing_their_papers(edition, chair):
    first, second = person(edition, Role.Kind.REVIEWER), person(edition, Role.Kind.REVIEWER)
    papers = SubmissionFactory.create_batch(3, edition=edition)
    proposal = [{"paper": p.pk, "reviewer": first.pk, "reason": ""} for p in papers]
    proposal.append({"paper": papers[0].pk, "reviewer": second.pk, "reason": ""})
    run = AssignmentRun.objects.create(edition=edition, requested_by=chair, state="ready", proposal=proposal)
    apply_run(run=run, by=chair)
    (mail,) = mails_to(first)
    assert "3 papers to review" in mail.subject
    assert all(f"{p.number}. {p.title}" in mail.body_text for p in papers)
    assert len(mails_to(second)) == 1
