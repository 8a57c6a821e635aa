import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Role
from reviews.models import Assignment
from submissions.models import Conflict
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/chair/review/assignments/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def reviewers(edition, count):
    people = UserFactory.create_batch(count)
    for person in people:
        Role.objects.create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    return people


def test_a_chair_assigns_and_removes_a_reviewer_and_sees_coverage(client, edition, chair):
    paper = SubmissionFactory(edition=edition, title="Coverage paper")
    (reviewer,) = reviewers(edition, 1)
    client.force_login(chair)
    assert "3 reviewers missing" in client.get(URL).content.decode()
    client.post(URL, {"action": "assign", "paper": paper.pk, "reviewer": reviewer.pk})
    assignment = Assignment.objects.get()
    assert (assignment.reviewer, assignment.locked, assignment.assigned_by) == (reviewer, True, chair)
    assert "2 reviewers missing" in client.get(URL).content.decode()
    client.post(URL, {"action": "unassign", "paper": paper.pk, "assignment": assignment.pk})
    assert not Assignment.objects.exists()


def test_assigning_someone_in_conflict_is_refused_with_the_reason(client, edition, chair):
    paper = SubmissionFactory(edition=edition)
    (reviewer,) = reviewers(edition, 1)
    Conflict.objects.create(submission=paper, user=reviewer, kind=Conflict.Kind.SAME_ORGANISATION)
    client.force_login(chair)
    response = client.post(URL, {"action": "assign", "paper": paper.pk, "reviewer": reviewer.pk}, follow=True)
    assert "is in conflict with this paper" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_chair_cannot_assign_a_paper_they_are_in_conflict_with(client, edition, chair):
    paper = SubmissionFactory(edition=edition, title="Hidden from the chair")
    (reviewer,) = reviewers(edition, 1)
    Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(chair)
    assert "Hidden from the chair" not in client.get(URL).content.decode()
    client.post(URL, {"action": "assign", "paper": paper.pk, "reviewer": reviewer.pk})
    assert not Assignment.objects.exists()


def test_the_board_costs_the_same_for_few_or_many_papers_and_reviewers(client, edition, chair):
    client.force_login(chair)
    people = reviewers(edition, 3)
    for paper in SubmissionFactory.create_batch(2, edition=edition):
        Assignment.objects.create(submission=paper, reviewer=people[0])
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    people += reviewers(edition, 12)
    for paper in SubmissionFactory.create_batch(20, edition=edition):
        for person in people[:4]:
            Assignment.objects.create(submission=paper, reviewer=person)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(few) == len(many)


def test_the_dashboard_panel_counts_reviews_done_and_due_on_papers_the_chair_sees(client, edition, chair):
    from reviews.models import Review

    people = reviewers(edition, 2)
    seen, hidden = SubmissionFactory.create_batch(2, edition=edition)
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    done = Assignment.objects.create(submission=seen, reviewer=people[0])
    Review.objects.create(assignment=done, state="submitted", late=True)
    Assignment.objects.create(submission=seen, reviewer=people[1])
    Assignment.objects.create(submission=hidden, reviewer=people[1])
    client.force_login(chair)
    response = client.get("/calls/sse/2028/chair/")
    panel = next(context for p, context in response.context["panels"] if p.name == "reviews")
    assert (panel["assigned"], panel["done"], panel["due"], panel["late"]) == (2, 1, 1, 1)
