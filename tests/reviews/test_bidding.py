import pytest

from conference.models import Edition, Role, Topic
from reviews.models import Bid, ReviewerProfile
from submissions.models import Conflict, Submission
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, blind_mode=Edition.BlindMode.DOUBLE)


@pytest.fixture
def reviewer(edition):
    person = UserFactory(email="giulia@euricse.example")
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    return person


def bids_url(edition):
    return f"/calls/{edition.series.slug}/{edition.year}/review/bids/"


def test_a_reviewer_sees_the_papers_they_may_review_without_author_names_in_double_blind(
    client, edition, reviewer
):
    visible = SubmissionFactory(edition=edition, title="Cooperative banks")
    AuthorshipFactory(submission=visible, name="Zelda Quarkington", position=1)
    hidden = SubmissionFactory(edition=edition, title="A paper in conflict")
    Conflict.objects.create(submission=hidden, user=reviewer, kind=Conflict.Kind.ADDED_BY_CHAIR)
    SubmissionFactory(edition=edition, title="Still a draft", state=Submission.State.DRAFT)
    mine = SubmissionFactory(edition=edition, title="My own paper", authors=0)
    AuthorshipFactory(submission=mine, email=reviewer.email, user=reviewer)
    client.force_login(reviewer)
    page = client.get(bids_url(edition)).content.decode()
    assert "Cooperative banks" in page
    for absent in ["A paper in conflict", "Still a draft", "My own paper", "Zelda Quarkington"]:
        assert absent not in page, absent


def test_bids_are_saved_changed_and_cleared(client, edition, reviewer):
    first, second = SubmissionFactory.create_batch(2, edition=edition)
    client.force_login(reviewer)
    client.post(bids_url(edition), {f"bid-{first.pk}": "eager", f"bid-{second.pk}": "not_willing"})
    assert dict(Bid.objects.values_list("submission_id", "value")) == {
        first.pk: "eager",
        second.pk: "not_willing",
    }
    client.post(bids_url(edition), {f"bid-{first.pk}": "", f"bid-{second.pk}": "willing"})
    assert dict(Bid.objects.values_list("submission_id", "value")) == {second.pk: "willing"}


def test_a_conflict_bid_declares_a_conflict_and_the_paper_leaves_the_list(client, edition, reviewer):
    paper = SubmissionFactory(edition=edition, title="My former student's paper")
    client.force_login(reviewer)
    client.post(bids_url(edition), {f"bid-{paper.pk}": "conflict"})
    assert Conflict.objects.filter(
        submission=paper, user=reviewer, kind=Conflict.Kind.DECLARED_BY_REVIEWER
    ).exists()
    assert "My former student" not in client.get(bids_url(edition)).content.decode()


def test_a_bid_on_a_paper_out_of_reach_is_ignored(client, edition, reviewer):
    elsewhere = SubmissionFactory(edition=EditionFactory())
    hidden = SubmissionFactory(edition=edition)
    Conflict.objects.create(submission=hidden, user=reviewer, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(reviewer)
    client.post(
        bids_url(edition), {f"bid-{elsewhere.pk}": "eager", f"bid-{hidden.pk}": "eager", "bid-x": "eager"}
    )
    assert not Bid.objects.exists()


def test_the_bids_page_costs_the_same_for_5_or_25_papers(
    client, edition, reviewer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    SubmissionFactory.create_batch(5, edition=edition, authors=1, topics=1)
    with CaptureQueriesContext(connection) as few:
        client.get(bids_url(edition))
    SubmissionFactory.create_batch(20, edition=edition, authors=6, topics=4)
    with CaptureQueriesContext(connection) as many:
        client.get(bids_url(edition))
    assert len(few) == len(many)


def test_a_reviewer_fills_in_their_profile_with_papers_of_their_own(client, edition, reviewer):
    client.force_login(reviewer)
    url = f"/calls/{edition.series.slug}/{edition.year}/review/profile/"
    assert client.get(url).status_code == 200
    data = {
        "topics": [Topic.objects.sdgs()[7].pk], "expertise": "Cooperative finance in Italy.",
        "languages": ["en", "fr"], "max_load": "5", "min_load": "2",
        "papers-TOTAL_FORMS": "1", "papers-INITIAL_FORMS": "0", "papers-MIN_NUM_FORMS": "0",
        "papers-MAX_NUM_FORMS": "5", "papers-0-title": "Credit unions and SMEs",
        "papers-0-abstract": "A study.",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    profile = ReviewerProfile.objects.get(user=reviewer)
    assert (profile.languages, profile.max_load, profile.min_load) == (["en", "fr"], 5, 2)
    assert [p.title for p in profile.papers.all()] == ["Credit unions and SMEs"]
    response = client.post(url, {**data, "min_load": "6"})
    assert "cannot be more than your maximum" in response.content.decode()
