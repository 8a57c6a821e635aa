"""Deciding: outcomes, the chair's decision with optimistic concurrency, votes and meta-reviews."""

import pytest
from django.core.exceptions import ValidationError

from conference.models import Role
from reviews import decisions
from reviews.decisions import StaleDecision
from reviews.models import Decision, Vote
from submissions.models import Conflict, Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

PAPER = "/calls/sse/2028/committee/papers/{}/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


def person(edition, kind, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def chair(edition):
    return person(edition, Role.Kind.CHAIR, name="Cleo Chair")


@pytest.fixture
def paper(edition):
    return SubmissionFactory(
        edition=edition, state=Submission.State.UNDER_REVIEW, title="Fair trade in Ghana"
    )


def outcome(edition, english):
    return next(o for o in decisions.outcomes_for(edition) if o.name["en"] == english)


def test_an_edition_offers_accept_poster_and_reject_by_default(edition):
    outcomes = decisions.outcomes_for(edition)
    assert [(o.name["en"], o.maps_to) for o in outcomes] == [
        ("Accept", "accepted"),
        ("Accept as poster", "accepted"),
        ("Reject", "rejected"),
    ]
    assert decisions.outcomes_for(edition) == outcomes  # made once


def test_a_decision_stays_internal_and_leaves_the_paper_as_it_is(edition, chair, paper):
    decision = decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=chair, version=0)
    paper.refresh_from_db()
    assert paper.state == Submission.State.UNDER_REVIEW and decision.released_at is None
    assert decision.version == 1


def test_the_second_of_two_people_deciding_from_the_same_page_is_told_and_nothing_is_overwritten(
    edition, chair, paper
):
    other = person(edition, Role.Kind.CHAIR, name="Otto Other")
    decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=other, version=0)
    with pytest.raises(StaleDecision) as refusal:
        decisions.decide(submission=paper, outcome=outcome(edition, "Reject"), by=chair, version=0)
    assert (
        "decided by someone else" in refusal.value.messages[0] and "Otto Other" in refusal.value.messages[0]
    )
    assert Decision.objects.get().outcome.name["en"] == "Accept"
    changed = decisions.decide(submission=paper, outcome=outcome(edition, "Reject"), by=chair, version=1)
    assert changed.version == 2 and changed.decided_by == chair


def test_a_chair_in_conflict_cannot_decide_and_the_paper_manager_can(edition, chair, paper):
    Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    with pytest.raises(ValidationError, match="paper manager"):
        decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=chair, version=0)
    manager = person(edition, Role.Kind.COMMITTEE)
    edition.paper_manager = manager
    edition.save()
    decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=manager, version=0)
    assert Decision.objects.get().decided_by == manager


def test_a_committee_member_cannot_decide(edition, paper):
    member = person(edition, Role.Kind.COMMITTEE)
    with pytest.raises(ValidationError):
        decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=member, version=0)


def test_a_released_decision_and_a_withdrawn_paper_cannot_be_decided(edition, chair, paper):
    decision = decisions.decide(submission=paper, outcome=outcome(edition, "Accept"), by=chair, version=0)
    Decision.objects.filter(pk=decision.pk).update(released_at=decision.decided_at)
    with pytest.raises(ValidationError, match="can no longer change"):
        decisions.decide(submission=paper, outcome=outcome(edition, "Reject"), by=chair, version=1)
    gone = SubmissionFactory(edition=edition, state=Submission.State.WITHDRAWN)
    with pytest.raises(ValidationError, match="nothing to decide"):
        decisions.decide(submission=gone, outcome=outcome(edition, "Reject"), by=chair, version=0)


def test_an_outcome_of_another_call_is_refused(edition, chair, paper):
    elsewhere = decisions.outcomes_for(EditionFactory())[0]
    with pytest.raises(ValidationError, match="another call"):
        decisions.decide(submission=paper, outcome=elsewhere, by=chair, version=0)


def test_bulk_decisions_go_through_one_by_one_and_say_which_were_refused(edition, chair):
    papers = SubmissionFactory.create_batch(3, edition=edition, state=Submission.State.UNDER_REVIEW)
    other = person(edition, Role.Kind.CHAIR)
    decisions.decide(submission=papers[1], outcome=outcome(edition, "Reject"), by=other, version=0)
    done, refusals = decisions.decide_many(
        papers=[(paper, 0) for paper in papers], outcome=outcome(edition, "Accept as poster"), by=chair
    )
    assert done == 2 and len(refusals) == 1 and f"Paper {papers[1].number}" in refusals[0]


def test_committee_members_vote_once_each_and_may_change_their_vote(edition, paper):
    member = person(edition, Role.Kind.COMMITTEE)
    decisions.vote(submission=paper, by=member, value="accept", comment="Strong fieldwork.")
    decisions.vote(submission=paper, by=member, value="abstain")
    assert list(Vote.objects.values_list("value", "comment")) == [("abstain", "")]


def test_reviewers_authors_and_members_in_conflict_cannot_vote(edition, paper):
    reviewer = person(edition, Role.Kind.REVIEWER)
    member = person(edition, Role.Kind.COMMITTEE)
    Conflict.objects.create(submission=paper, user=member, kind=Conflict.Kind.SAME_DOMAIN)
    for voter in (reviewer, member):
        with pytest.raises(ValidationError, match="Only committee members"):
            decisions.vote(submission=paper, by=voter, value="accept")
    with pytest.raises(ValidationError):
        decisions.vote(submission=paper, by=person(edition, Role.Kind.COMMITTEE), value="maybe")


def test_the_chair_names_a_lead_who_writes_the_meta_review(edition, chair, paper):
    lead, bystander = person(edition, Role.Kind.COMMITTEE), person(edition, Role.Kind.COMMITTEE)
    decisions.set_lead(submission=paper, lead=lead, by=chair)
    with pytest.raises(ValidationError, match="discussion lead"):
        decisions.write_meta_review(submission=paper, by=bystander, text="Mine")
    meta = decisions.write_meta_review(submission=paper, by=lead, text="  Reviews agree: accept.  ")
    assert meta.text == "Reviews agree: accept."
    in_conflict = person(edition, Role.Kind.COMMITTEE)
    Conflict.objects.create(submission=paper, user=in_conflict, kind=Conflict.Kind.SAME_DOMAIN)
    with pytest.raises(ValidationError, match="cannot lead"):
        decisions.set_lead(submission=paper, lead=in_conflict, by=chair)


def test_the_papers_page_shows_the_committee_its_votes_and_lets_the_chair_decide(
    client, edition, chair, paper
):
    member = person(edition, Role.Kind.COMMITTEE, name="Mo Member")
    decisions.vote(submission=paper, by=member, value="reject", comment="Thin evidence.")
    client.force_login(chair)
    page = client.get(PAPER.format(paper.number)).content.decode()
    assert "Mo Member" in page and "Thin evidence." in page and "Record the decision" in page
    accept = outcome(edition, "Accept")
    response = client.post(
        PAPER.format(paper.number) + "decide/", {"outcome": accept.pk, "version": 0}, follow=True
    )
    assert "The decision is recorded" in response.content.decode()
    stale = client.post(
        PAPER.format(paper.number) + "decide/", {"outcome": accept.pk, "version": 0}, follow=True
    )
    assert "decided by someone else" in stale.content.decode()
    client.force_login(member)
    page = client.get(PAPER.format(paper.number)).content.decode()
    assert "Record the decision" not in page and "Change your vote" in page


def test_the_page_posts_votes_and_meta_reviews(client, edition, chair, paper):
    member = person(edition, Role.Kind.COMMITTEE)
    client.force_login(chair)
    client.post(PAPER.format(paper.number) + "meta-review/", {"lead": member.pk})
    client.force_login(member)
    client.post(PAPER.format(paper.number) + "vote/", {"value": "accept", "comment": "Yes"})
    client.post(PAPER.format(paper.number) + "meta-review/", {"text": "All three reviewers agree."})
    assert Vote.objects.get().value == "accept"
    assert paper.meta_review.text == "All three reviewers agree."


def test_the_dashboard_counts_decisions_taken_sent_and_still_to_take(client, edition, chair):
    papers = SubmissionFactory.create_batch(3, edition=edition, state=Submission.State.UNDER_REVIEW)
    accept = outcome(edition, "Accept")
    decisions.decide(submission=papers[0], outcome=accept, by=chair, version=0)
    sent = decisions.decide(submission=papers[1], outcome=accept, by=chair, version=0)
    Decision.objects.filter(pk=sent.pk).update(released_at=sent.decided_at)
    hidden = SubmissionFactory(edition=edition, state=Submission.State.UNDER_REVIEW)
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(chair)
    page = client.get("/calls/sse/2028/chair/").content.decode()
    assert 'Taken</dt><dd class="col-4">2<' in page
    assert 'Sent to authors</dt><dd class="col-4">1<' in page
    assert 'Still to decide</dt><dd class="col-4">1<' in page  # the paper in conflict is not counted
