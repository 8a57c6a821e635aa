"""Group mail from a chair: the right people in each group, a preview, sent once."""

import pytest

from conference.models import Role
from notifications.models import OutboxMessage
from reviews import group_mail
from reviews.models import Assignment, GroupMail, Review
from submissions.models import Conflict, Submission
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/chair/decisions/group-mail/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


def person(edition, kind, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def chair(edition):
    return person(edition, Role.Kind.CHAIR, name="Chiara Chair")


def emails(edition, audience, seen_by=None):
    return sorted(r.email for r in group_mail.recipients(edition=edition, audience=audience, seen_by=seen_by))


def test_accepted_authors_are_every_author_of_an_accepted_paper(edition, chair):
    accepted = SubmissionFactory(edition=edition, state=Submission.State.CAMERA_READY, authors=0)
    AuthorshipFactory(submission=accepted, email="ada@uni.example")
    AuthorshipFactory(submission=accepted, email="bo@uni.example", position=1)
    rejected = SubmissionFactory(edition=edition, state=Submission.State.REJECTED, authors=0)
    AuthorshipFactory(submission=rejected, email="cy@uni.example")
    hidden = SubmissionFactory(edition=edition, state=Submission.State.ACCEPTED, authors=0)
    AuthorshipFactory(submission=hidden, email="di@uni.example")
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    # All of them get the mail, those of a paper the chair is in conflict with too…
    assert emails(edition, "accepted_authors") == ["ada@uni.example", "bo@uni.example", "di@uni.example"]
    # …but the chair's preview never shows one of those.
    assert emails(edition, "accepted_authors", seen_by=chair) == ["ada@uni.example", "bo@uni.example"]


def test_late_reviewers_are_counted_once_whatever_their_number_of_papers(edition, chair):
    late = person(edition, Role.Kind.REVIEWER, email="late@uni.example")
    done = person(edition, Role.Kind.REVIEWER, email="done@uni.example")
    for paper in SubmissionFactory.create_batch(2, edition=edition):
        Assignment.objects.create(submission=paper, reviewer=late)
        finished = Assignment.objects.create(submission=paper, reviewer=done)
        Review.objects.create(assignment=finished, state="submitted")
    assert emails(edition, "late_reviewers") == ["late@uni.example"]


def test_the_committee_group_holds_chairs_and_members(edition, chair):
    member = person(edition, Role.Kind.COMMITTEE)
    person(edition, Role.Kind.REVIEWER)
    assert emails(edition, "committee") == sorted([chair.email, member.email])


def test_the_chair_previews_then_sends_once_even_when_the_form_is_sent_twice(client, edition, chair):
    member = person(edition, Role.Kind.COMMITTEE, name="Mo Member")
    client.force_login(chair)
    data = {"audience": "committee", "subject": "Meeting for {edition}", "body": "Dear {name}, see {link}",
            "token": "a" * 32}  # fmt: skip
    preview = client.post(URL, {**data, "preview": "1"}).content.decode()
    assert "Dear Chiara Chair, see http" in preview and "2 people in all" in preview
    assert not OutboxMessage.objects.exists()
    client.post(URL, {**data, "send": "1"})
    again = client.post(URL, {**data, "send": "1"}).content.decode()
    assert "This mail has been sent already." in again
    rows = OutboxMessage.objects.filter(idempotency_key__startswith="group-mail:")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([chair.email, member.email])
    assert rows.get(recipient=member.email).body_text.startswith("Dear Mo Member, see http")
    assert GroupMail.objects.get().recipients == 2


def test_an_unknown_placeholder_or_an_empty_group_is_refused(client, edition, chair):
    client.force_login(chair)
    data = {"audience": "accepted_authors", "subject": "Hi", "body": "Dear {nmae}", "token": "b" * 32}
    page = client.post(URL, {**data, "preview": "1"}).content.decode()
    assert "Unknown placeholders: {nmae}" in page
    page = client.post(URL, {**data, "body": "Dear {name}", "preview": "1"}).content.decode()
    assert "Nobody is in this group yet." in page
    assert not GroupMail.objects.exists()
