import pytest

from conference.models import Edition, Role
from reviews.auto_assign import apply_run, build_run, request_run
from reviews.models import Assignment, AssignmentRun, Bid, ReviewerProfile
from submissions.models import Conflict
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/chair/review/automatic/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, reviews_per_paper=2,
                          blind_mode=Edition.BlindMode.DOUBLE)  # fmt: skip


@pytest.fixture
def chair(edition):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.CHAIR)
    return person


def reviewer(edition, *, languages=("en",), max_load=4, expertise=""):
    person = UserFactory()
    Role.objects.create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    ReviewerProfile.objects.create(edition=edition, user=person, languages=list(languages), max_load=max_load,
                                   expertise=expertise)  # fmt: skip
    return person


def run_now(edition, chair, django_capture_on_commit_callbacks) -> AssignmentRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(edition=edition, by=chair)
    run.refresh_from_db()
    return run


def test_the_proposal_covers_every_paper_respects_caps_conflicts_and_keeps_what_exists(
    edition, chair, django_capture_on_commit_callbacks
):
    people = [reviewer(edition, max_load=3) for _ in range(4)]
    papers = SubmissionFactory.create_batch(5, edition=edition)
    Conflict.objects.create(submission=papers[0], user=people[0], kind=Conflict.Kind.SAME_DOMAIN)
    Assignment.objects.create(submission=papers[1], reviewer=people[1], locked=True)
    Bid.objects.create(submission=papers[2], reviewer=people[3], value="eager")
    run = run_now(edition, chair, django_capture_on_commit_callbacks)
    assert run.state == "ready", run.error
    proposed = {(row["paper"], row["reviewer"]) for row in run.proposal}
    assert (papers[0].pk, people[0].pk) not in proposed
    assert (papers[1].pk, people[1].pk) not in proposed  # kept, not proposed again
    assert (papers[2].pk, people[3].pk) in proposed  # the eager bid wins
    counts = apply_run(run=run, by=chair)
    assert counts == {"made": 9, "skipped": 0}
    for paper in papers:
        assert Assignment.objects.filter(submission=paper, state="assigned").count() == 2
    for person in people:
        assert Assignment.objects.filter(reviewer=person).count() <= 3


def test_french_papers_without_enough_french_readers_are_named(
    edition, chair, django_capture_on_commit_callbacks
):
    for _ in range(3):
        reviewer(edition, languages=["en"], max_load=10)
    reviewer(edition, languages=["fr", "en"], max_load=1)
    french = SubmissionFactory.create_batch(2, edition=edition, language="fr")
    SubmissionFactory.create_batch(2, edition=edition, language="en")
    run = run_now(edition, chair, django_capture_on_commit_callbacks)
    assert run.state == "infeasible"
    message = " ".join(run.reasons)
    assert "French" in message and all(f"#{paper.number}" in message for paper in french)


def test_running_again_after_a_decline_fills_only_the_gap(edition, chair, django_capture_on_commit_callbacks):
    people = [reviewer(edition, max_load=4) for _ in range(3)]
    paper = SubmissionFactory(edition=edition)
    apply_run(run=run_now(edition, chair, django_capture_on_commit_callbacks), by=chair)
    first = set(Assignment.objects.values_list("reviewer_id", flat=True))
    gone = Assignment.objects.first()
    gone.state, gone.decline_reason = "declined", "No time"
    gone.save()
    run = run_now(edition, chair, django_capture_on_commit_callbacks)
    assert [(row["paper"], row["reviewer"]) for row in run.proposal] == [
        (paper.pk, next(p.pk for p in people if p.pk not in first))
    ]


def test_a_run_claimed_twice_is_computed_once(edition, chair):
    reviewer(edition)
    SubmissionFactory(edition=edition)
    run = AssignmentRun.objects.create(edition=edition, requested_by=chair)
    build_run(run_id=run.pk)
    run.refresh_from_db()
    state, finished = run.state, run.finished_at
    build_run(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.finished_at) == (state, finished)


def test_a_pair_that_became_impossible_before_apply_is_skipped(
    edition, chair, django_capture_on_commit_callbacks
):
    person = reviewer(edition)
    reviewer(edition)
    paper = SubmissionFactory(edition=edition, authors=0)
    AuthorshipFactory(submission=paper)
    run = run_now(edition, chair, django_capture_on_commit_callbacks)
    Conflict.objects.create(submission=paper, user=person, kind=Conflict.Kind.ADDED_BY_CHAIR)
    assert apply_run(run=run, by=chair) == {"made": 1, "skipped": 1}


def test_the_chair_pages_show_progress_preview_and_apply(
    client, edition, chair, django_capture_on_commit_callbacks
):
    reviewer(edition, expertise="Cooperative banks")
    reviewer(edition)
    SubmissionFactory(edition=edition, title="Cooperative banks and credit")
    client.force_login(chair)
    assert client.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)
    run = AssignmentRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Cooperative banks and credit" in page and "Apply 2 new assignments" in page
    client.post(response["Location"], {"action": "apply"})
    assert Assignment.objects.count() == 2
    assert AssignmentRun.objects.get(pk=run.pk).state == "applied"
    other_chair = UserFactory()
    Role.objects.create(edition=edition, user=other_chair, kind=Role.Kind.CHAIR)
    client.force_login(other_chair)
    assert client.get(response["Location"]).status_code == 404  # a run is its chair's own
