import pytest

from conference.models import Edition, Role
from reviews import services
from reviews.models import Comment, Review, ReviewSettings
from submissions.models import Conflict
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, blind_mode=Edition.BlindMode.DOUBLE)


def person(edition, kind, name):
    user = UserFactory(name=name)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def world(edition):
    chair = person(edition, Role.Kind.CHAIR, "Carla Chair")
    first = person(edition, Role.Kind.REVIEWER, "Rita Reviewer")
    second = person(edition, Role.Kind.REVIEWER, "Omar Other")
    paper = SubmissionFactory(edition=edition, number=5)
    for reviewer, text in [(first, "Strong method."), (second, "Weak data.")]:
        assignment = services.assign(submission=paper, reviewer=reviewer, by=chair)
        state = "submitted" if reviewer == second else "draft"
        Review.objects.create(
            assignment=assignment,
            comments_to_authors=text,
            confidential_comments=f"secret {text}",
            state=state,
        )
    return {"chair": chair, "first": first, "second": second, "paper": paper}


REVIEWER_URL = "/calls/sse/2028/review/papers/5/"
COMMITTEE_URL = "/calls/sse/2028/committee/papers/5/"


def test_a_reviewer_sees_other_reviews_and_the_discussion_only_after_their_own(client, world):
    client.force_login(world["first"])
    assert "Weak data." not in client.get(REVIEWER_URL).content.decode()
    assert client.post(REVIEWER_URL + "discussion/", {"text": "Too early?"}).status_code == 302
    assert not Comment.objects.exists()
    Review.objects.filter(assignment__reviewer=world["first"]).update(state="submitted")
    page = client.get(REVIEWER_URL).content.decode()
    assert "Weak data." in page and "Reviewer 2" in page
    # Anonymous to each other, and without the other's confidential part (their own is in their form).
    assert "Omar Other" not in page and "secret Weak data." not in page
    client.post(REVIEWER_URL + "discussion/", {"text": "I disagree on the data."})
    assert Comment.objects.get().author == world["first"]


def test_reviewers_see_each_others_names_when_the_edition_allows_it(client, world, edition):
    ReviewSettings.objects.create(edition=edition, reviewers_see_each_other=True)
    Review.objects.filter(assignment__reviewer=world["first"]).update(state="submitted")
    client.force_login(world["first"])
    assert "Omar Other" in client.get(REVIEWER_URL).content.decode()


def test_the_committee_sees_names_and_confidential_comments_and_a_conflicted_chair_gets_404(
    client, world, edition
):
    member = person(edition, Role.Kind.COMMITTEE, "Kim Committee")
    client.force_login(member)
    page = client.get(COMMITTEE_URL).content.decode()
    assert "Omar Other" in page and "secret Weak data." in page
    client.post(REVIEWER_URL + "discussion/", {"text": "Let us discuss."})
    assert Comment.objects.get().author == member
    Conflict.objects.create(submission=world["paper"], user=world["chair"], kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(world["chair"])
    assert client.get(COMMITTEE_URL).status_code == 404
    assert client.post(REVIEWER_URL + "discussion/", {"text": "x"}).status_code == 404
    assert "Reviews and discussion" not in client.get(world["paper"].get_absolute_url()).content.decode()


def test_the_papers_page_links_its_reviews_for_organisers(client, world):
    client.force_login(world["chair"])
    assert "Reviews and discussion" in client.get(world["paper"].get_absolute_url()).content.decode()
