"""Review settings, closing reviewing, and the paper manager who stands in for a chair in conflict."""

import pytest

from conference.models import Role
from reviews.models import Assignment, ReviewSettings
from submissions.models import Conflict, Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

SETTINGS = "/calls/sse/2028/chair/review/settings/"
MANAGED = "/calls/sse/2028/manage/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028)


def person(edition, kind, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def chair(edition):
    return person(edition, Role.Kind.CHAIR, name="Ada Chair")


@pytest.fixture
def manager(edition):
    return person(edition, Role.Kind.COMMITTEE, name="Mia Manager")


def settings_data(**overrides):
    data = {"bid_weight": "0.5", "topic_weight": "0.3", "text_weight": "0.2", "load_spreading": "10",
            "disagreement_threshold": "1.5"}  # fmt: skip
    return {**data, **overrides}


def test_a_chair_sets_the_weights_and_names_the_paper_manager(client, edition, chair, manager):
    client.force_login(chair)
    page = client.get(SETTINGS).content.decode()
    assert "Mia Manager" in page  # committee members and chairs are offered
    response = client.post(SETTINGS, settings_data(paper_manager=manager.pk, calibration="on"))
    assert response.status_code == 302
    saved = ReviewSettings.objects.get(edition=edition)
    assert (saved.bid_weight, saved.text_weight, saved.load_spreading, saved.calibration) == (
        0.5,
        0.2,
        10,
        True,
    )
    edition.refresh_from_db()
    assert edition.paper_manager == manager


def test_weights_that_are_all_zero_are_refused_and_nothing_is_saved(client, edition, chair):
    client.force_login(chair)
    data = settings_data(bid_weight="0", topic_weight="0", text_weight="0")
    response = client.post(SETTINGS, data)
    assert "At least one weight must be above zero." in response.content.decode()
    assert not ReviewSettings.objects.filter(edition=edition, bid_weight=0).exists()


def test_only_organisers_of_the_edition_can_be_paper_manager(client, edition, chair):
    outsider = UserFactory(name="Out Sider")
    reviewer = person(edition, Role.Kind.REVIEWER, name="Rev Iewer")
    client.force_login(chair)
    for candidate in (outsider, reviewer):
        response = client.post(SETTINGS, settings_data(paper_manager=candidate.pk))
        assert response.status_code == 200  # the form again, with the error
    edition.refresh_from_db()
    assert edition.paper_manager is None


def test_a_chair_closes_reviewing_and_opens_it_again(client, edition, chair):
    client.force_login(chair)
    client.post(SETTINGS, {"close": "1"})
    assert ReviewSettings.objects.get(edition=edition).reviewing_closed_at is not None
    assert "Open reviewing again" in client.get(SETTINGS).content.decode()
    client.post(SETTINGS, {"close": "0"})
    assert ReviewSettings.objects.get(edition=edition).reviewing_closed_at is None


@pytest.fixture
def conflicted_paper(edition, chair):
    paper = SubmissionFactory(
        edition=edition, title="The chair's own field", state=Submission.State.SUBMITTED
    )
    Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    return paper


def test_the_paper_manager_lists_and_assigns_the_papers_a_chair_is_in_conflict_with(
    client, edition, chair, manager, conflicted_paper
):
    other = SubmissionFactory(
        edition=edition, title="A paper the chair handles", state=Submission.State.SUBMITTED
    )
    reviewer = person(edition, Role.Kind.REVIEWER, name="Rita Reviewer")
    edition.paper_manager = manager
    edition.save()
    client.force_login(manager)
    page = client.get(MANAGED).content.decode()
    assert "The chair&#x27;s own field" in page
    assert "A paper the chair handles" not in page
    client.post(MANAGED, {"action": "assign", "paper": conflicted_paper.pk, "reviewer": reviewer.pk})
    assert Assignment.objects.get().submission == conflicted_paper
    # A paper no chair is in conflict with is the chair's to assign, not the manager's.
    client.post(MANAGED, {"action": "assign", "paper": other.pk, "reviewer": reviewer.pk})
    assert Assignment.objects.count() == 1
    assert "Papers you manage" in client.get("/calls/sse/2028/").content.decode()


def test_the_paper_manager_acts_as_chair_on_the_paper(client, edition, chair, manager, conflicted_paper):
    edition.paper_manager = manager
    edition.save()
    client.force_login(manager)
    extension = f"/calls/sse/2028/papers/{conflicted_paper.number}/extension/"
    assert client.get(extension).status_code == 200
    client.force_login(chair)
    assert client.get(extension).status_code == 404  # the chair in conflict does not see it at all


def test_a_conflict_by_the_chairs_address_or_organisation_counts_too(edition, chair, manager):
    edition.paper_manager = manager
    edition.save()
    by_address = SubmissionFactory(edition=edition, state=Submission.State.SUBMITTED)
    Conflict.objects.create(
        submission=by_address, email=chair.email.upper(), kind=Conflict.Kind.DECLARED_BY_AUTHOR
    )
    unrelated = SubmissionFactory(edition=edition, state=Submission.State.SUBMITTED)
    assert list(Submission.objects.managed_by(manager)) == [by_address]
    assert unrelated not in Submission.objects.managed_by(manager)
    dismissed = Conflict.objects.get(submission=by_address)
    dismissed.dismissed_at = dismissed.created_at
    dismissed.save()
    assert not Submission.objects.managed_by(manager).exists()


def test_the_managed_list_and_the_review_form_cost_the_same_queries_for_more_rows(
    client, edition, chair, manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.models import Criterion
    from reviews.review_forms import review_form_for

    edition.paper_manager = manager
    edition.save()
    people = [person(edition, Role.Kind.REVIEWER) for _ in range(2)]

    def conflicted_papers(count, reviewers):
        for paper in SubmissionFactory.create_batch(count, edition=edition, state=Submission.State.SUBMITTED):
            Conflict.objects.create(submission=paper, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
            for reviewer in reviewers:
                Assignment.objects.create(submission=paper, reviewer=reviewer)

    conflicted_papers(1, people[:1])
    client.force_login(manager)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MANAGED).status_code == 200
    people += [person(edition, Role.Kind.REVIEWER) for _ in range(6)]
    conflicted_papers(12, people[:5])
    with CaptureQueriesContext(connection) as many:
        client.get(MANAGED)
    assert len(few) == len(many)

    client.force_login(chair)
    client.get(SETTINGS.replace("settings", "form"))  # creates the default form
    with CaptureQueriesContext(connection) as six:
        client.get(SETTINGS.replace("settings", "form"))
    form = review_form_for(edition)
    scale = [{"en": "Low"}, {"en": "High"}]
    Criterion.objects.bulk_create(
        Criterion(form=form, name={"en": f"Extra {n}"}, scale=scale) for n in range(6)
    )
    with CaptureQueriesContext(connection) as twelve:
        client.get(SETTINGS.replace("settings", "form"))
    assert len(six) == len(twelve)
