"""Two people deciding the same paper at once on PostgreSQL, in real threads: one wins, the other is
told what happened, and nothing is overwritten silently."""

from __future__ import annotations

from django.test import Client

from conference.models import Role
from reviews import decisions
from reviews.decisions import StaleDecision
from reviews.models import Decision, Vote
from submissions.models import Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory
from tests.integration.threads import errors_in, race


def scene():
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028)
    chairs = UserFactory.create_batch(2)
    for chair in chairs:
        Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    paper = SubmissionFactory(edition=edition, state=Submission.State.UNDER_REVIEW)
    accept, _poster, reject = decisions.outcomes_for(edition)
    return edition, chairs, paper, accept, reject


def test_two_chairs_deciding_one_paper_at_once_one_wins_the_other_is_told(private_queue):
    _edition, chairs, paper, accept, reject = scene()

    outcomes = race(
        *[
            lambda by=by, outcome=outcome: decisions.decide(
                submission=paper, outcome=outcome, by=by, version=0
            )
            for by, outcome in zip(chairs, (accept, reject), strict=True)
        ]
    )

    (refusal,) = errors_in(outcomes)
    assert isinstance(refusal, StaleDecision) and "decided by someone else" in refusal.messages[0]
    (winner,) = [outcome for outcome in outcomes if isinstance(outcome, Decision)]
    saved = Decision.objects.get(submission=paper)
    assert (saved.outcome_id, saved.decided_by_id, saved.version) == (
        winner.outcome_id,
        winner.decided_by_id,
        1,
    )


def test_two_chairs_posting_from_the_same_page_through_the_site(private_queue):
    _edition, chairs, paper, accept, reject = scene()
    tabs = []
    for chair in chairs:
        tab = Client()
        tab.force_login(chair)
        tabs.append(tab)
    url = f"/calls/sse/2028/committee/papers/{paper.number}/decide/"

    responses = race(
        *[
            lambda tab=tab, outcome=outcome: tab.post(url, {"outcome": outcome.pk, "version": 0}, follow=True)
            for tab, outcome in zip(tabs, (accept, reject), strict=True)
        ]
    )

    assert not errors_in(responses), responses
    pages = [response.content.decode() for response in responses]
    assert sum("The decision is recorded" in page for page in pages) == 1
    assert sum("decided by someone else" in page for page in pages) == 1
    assert Decision.objects.get(submission=paper).version == 1


def test_one_member_voting_from_two_tabs_at_once_keeps_one_vote(private_queue):
    edition, _chairs, paper, _accept, _reject = scene()
    member = UserFactory()
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)

    outcomes = race(
        *[
            lambda value=value: decisions.vote(submission=paper, by=member, value=value)
            for value in ("accept", "reject")
        ]
    )

    assert not errors_in(outcomes), outcomes
    assert Vote.objects.filter(submission=paper, voter=member).count() == 1
