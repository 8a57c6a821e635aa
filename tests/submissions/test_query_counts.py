"""Pages whose rows vary in size (authors, topics, versions) cost a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Role
from submissions.models import Submission
from tests.factories import AuthorshipFactory, SubmissionFactory, UserFactory


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _papers_of(person, edition, count, *, authors, topics):
    for _ in range(count):
        paper = SubmissionFactory(edition=edition, authors=authors, topics=topics, document=1)
        AuthorshipFactory(submission=paper, user=person, email=person.email, position=authors)


def test_my_papers_costs_the_same_for_2_or_12_papers(client, edition):
    person = UserFactory()
    client.force_login(person)
    _papers_of(person, edition, 2, authors=1, topics=1)
    few = _queries(client, "/calls/papers/")
    _papers_of(person, edition, 10, authors=7, topics=5)
    assert _queries(client, "/calls/papers/") == few


def test_a_papers_page_costs_the_same_with_1_or_8_authors(client, edition):
    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    client.force_login(chair)
    small = SubmissionFactory(edition=edition, authors=1, topics=1, document=1)
    large = SubmissionFactory(edition=edition, authors=8, topics=5, document=3)
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())


def test_the_dashboard_panel_counts_only_what_the_chair_may_see(client, edition):
    from submissions.models import Conflict

    chair = UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    SubmissionFactory.create_batch(3, edition=edition)
    hidden = SubmissionFactory(edition=edition)
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    SubmissionFactory(edition=edition, state=Submission.State.DRAFT)
    client.force_login(chair)
    response = client.get(f"/calls/{edition.series.slug}/{edition.year}/chair/")
    panel = dict((name, context) for name, context in ((p.name, c) for p, c in response.context["panels"]))
    assert panel["submissions"]["total"] == 3
    assert ("submitted", "Submitted", 3) in panel["submissions"]["by_state"]
