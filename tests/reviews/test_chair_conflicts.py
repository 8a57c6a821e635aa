import pytest

from conference.models import Role
from submissions.models import Conflict, Submission
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


URL = "/calls/sse/2028/chair/review/conflicts/"


def test_a_chair_adds_a_conflict_with_a_reason_and_the_paper_disappears_for_that_person(
    client, edition, chair
):
    paper = SubmissionFactory(edition=edition, number=7)
    member = UserFactory(email="member@ilo.example")
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)
    client.force_login(chair)
    response = client.post(
        URL, {"number": 7, "email": "MEMBER@ilo.example", "reason": "Supervised the author."}
    )
    assert response.status_code == 302
    conflict = Conflict.objects.get(user=member)
    assert (conflict.kind, conflict.reason, conflict.created_by) == ("chair", "Supervised the author.", chair)
    assert not Submission.objects.visible_to(member).filter(pk=paper.pk).exists()


def test_adding_a_conflict_for_an_unknown_paper_or_person_says_which(client, edition, chair):
    SubmissionFactory(edition=edition, number=1)
    client.force_login(chair)
    page = client.post(URL, {"number": 99, "email": "x@example.org", "reason": "r"}).content.decode()
    assert "No paper with this number that you may see." in page
    page = client.post(URL, {"number": 1, "email": "nobody@example.org", "reason": "r"}).content.decode()
    assert "Nobody with this address has an account." in page


def test_a_chair_dismisses_a_conflict_with_a_reason_that_is_kept(client, edition, chair):
    paper = SubmissionFactory(edition=edition)
    member = UserFactory()
    conflict = Conflict.objects.create(
        submission=paper, user=member, kind=Conflict.Kind.SAME_DOMAIN, reason="x"
    )
    client.force_login(chair)
    client.post(f"{URL}{conflict.pk}/dismiss/", {"reason": ""})
    assert Conflict.objects.get(pk=conflict.pk).dismissed_at is None  # a reason is required
    client.post(f"{URL}{conflict.pk}/dismiss/", {"reason": "Different departments."})
    conflict.refresh_from_db()
    assert (conflict.dismissed_by, conflict.dismissal_reason) == (chair, "Different departments.")
    assert "Dismissed by" in client.get(URL).content.decode()


def test_a_chair_in_conflict_sees_nothing_of_that_papers_conflicts(client, edition, chair):
    paper = SubmissionFactory(edition=edition, number=3, authors=0)
    AuthorshipFactory(submission=paper, name="Private Author")
    Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR, reason="Mine")
    other = Conflict.objects.create(submission=paper, user=UserFactory(name="Someone Else"),
                                    kind=Conflict.Kind.SAME_DOMAIN, reason="secret-reason")  # fmt: skip
    client.force_login(chair)
    page = client.get(URL).content.decode()
    assert "secret-reason" not in page and "Someone Else" not in page
    assert client.post(f"{URL}{other.pk}/dismiss/", {"reason": "no"}).status_code == 404


def test_checking_for_conflicts_reports_what_changed(client, edition, chair):
    reviewer = UserFactory(email="ben@coop-bank.example")
    Role.objects.create(edition=edition, user=reviewer, kind=Role.Kind.REVIEWER)
    paper = SubmissionFactory(edition=edition, authors=0)
    AuthorshipFactory(submission=paper, email="carla@coop-bank.example")
    Conflict.objects.all().delete()  # as if detection had not run yet
    client.force_login(chair)
    response = client.post(f"{URL}detect/", follow=True)
    assert "1 found" in response.content.decode()


def test_the_conflicts_page_costs_the_same_for_few_or_many(client, edition, chair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(chair)
    for _ in range(3):
        Conflict.objects.create(
            submission=SubmissionFactory(edition=edition), user=UserFactory(), kind="chair"
        )
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(30):
        Conflict.objects.create(
            submission=SubmissionFactory(edition=edition), user=UserFactory(), kind="domain"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)
