"""Reviewing under concurrency, on PostgreSQL: the automatic assignment computed by a real Celery worker
(once, however often its task is delivered), chairs applying or requesting a run at the same moment,
a decline racing an apply, two tabs saving one review, and the conflict detection run twice at once."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from accounts.models import User
from conference.models import Edition, Role
from reviews import services
from reviews.auto_assign import apply_run, build_run, request_run
from reviews.conflicts import DETECTED, detect_conflicts, find_conflicts
from reviews.models import Assignment, AssignmentRun, Review, ReviewerProfile
from reviews.tasks import build_assignment_run
from submissions.models import Conflict
from tests.factories import (
    AuthorshipFactory,
    EditionFactory,
    OrganisationFactory,
    SeriesFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.integration.conftest import messages_in, purge
from tests.integration.threads import errors_in, race
from tests.services import wait_until

RunState = AssignmentRun.State
MAX_LOAD = 3


# --- Set-up ---------------------------------------------------------------------------------------


def make_edition() -> Edition:
    return EditionFactory(
        series=SeriesFactory(slug="sse"), year=2028, reviews_per_paper=2, blind_mode=Edition.BlindMode.DOUBLE
    )


def person(edition: Edition, kind: str, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


def reviewer(edition: Edition, *, max_load: int = MAX_LOAD, **kwargs):
    user = person(edition, Role.Kind.REVIEWER, **kwargs)
    ReviewerProfile.objects.create(edition=edition, user=user, languages=["en"], max_load=max_load)
    return user


def committee(edition: Edition, *, reviewers: int = 4, papers: int = 5):
    """Two chairs, reviewers (at most MAX_LOAD papers each) and submitted papers."""
    chairs = [person(edition, Role.Kind.CHAIR) for _ in range(2)]
    people = [reviewer(edition) for _ in range(reviewers)]
    return chairs, people, SubmissionFactory.create_batch(papers, edition=edition)


def ready_run(edition: Edition, chair) -> AssignmentRun:
    """A run computed here, in the test's process (no broker involved)."""
    run = AssignmentRun.objects.create(edition=edition, requested_by=chair)
    build_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.state == RunState.READY, (run.state, run.error, run.reasons)
    assert run.proposal
    return run


def assert_proposal_sound(run: AssignmentRun, edition: Edition) -> None:
    """With what exists, the proposal gives every paper its reviewers; no pair in conflict; caps kept."""
    existing = list(
        Assignment.objects.filter(submission__edition=edition).values_list(
            "submission_id", "reviewer_id", "state"
        )
    )
    assigned = {(paper, user) for paper, user, state in existing if state == Assignment.State.ASSIGNED}
    declined = {(paper, user) for paper, user, state in existing if state == Assignment.State.DECLINED}
    proposed = [(row["paper"], row["reviewer"]) for row in run.proposal]
    assert len(set(proposed)) == len(proposed), f"a pair proposed twice: {proposed}"
    assert not set(proposed) & (assigned | declined), "an existing or declined pair proposed again"
    per_paper = Counter(paper for paper, _user in [*proposed, *assigned])
    papers = edition.submissions.filter(state__in=services.REVIEWABLE_STATES)
    assert per_paper == {paper.pk: edition.reviews_per_paper for paper in papers}
    per_reviewer = Counter(user for _paper, user in [*proposed, *assigned])
    caps = dict(ReviewerProfile.objects.filter(edition=edition).values_list("user_id", "max_load"))
    assert all(count <= caps[user] for user, count in per_reviewer.items()), (per_reviewer, caps)
    for paper_pk, user_pk in proposed:
        reason = services.may_review(papers.get(pk=paper_pk), User.objects.get(pk=user_pk))
        assert reason == "", (paper_pk, user_pk, reason)


# --- The automatic assignment, computed by a real worker ------------------------------------------


def build_scene(edition: Edition):
    """Papers and reviewers with a conflict, an author among the reviewers, a kept and a declined pair.

    The conflicts are detected here, at once: the detection tasks that taking a role queues (on the
    worker's queue too) then change nothing while the run is computed.
    """
    chairs, people, papers = committee(edition)
    Conflict.objects.create(submission=papers[0], user=people[0], kind=Conflict.Kind.ADDED_BY_CHAIR)
    # A webmail address: only the author rule, not the domain rule, puts her in conflict.
    people.append(reviewer(edition, email="ines@gmail.com"))
    AuthorshipFactory(submission=papers[1], email="ines@gmail.com", position=1)
    Assignment.objects.create(submission=papers[2], reviewer=people[2], locked=True)
    Assignment.objects.create(
        submission=papers[3], reviewer=people[3], state=Assignment.State.DECLINED, decline_reason="No time"
    )
    detect_conflicts(edition=edition)
    assert Conflict.objects.filter(submission=papers[1], user=people[-1], kind=Conflict.Kind.AUTHOR).exists()
    return chairs, people, papers


def wait_for_run(run: AssignmentRun, *, timeout: float = 60) -> AssignmentRun:
    def finished():
        run.refresh_from_db()
        return run.state not in (RunState.QUEUED, RunState.RUNNING)

    wait_until(
        finished, timeout=timeout, message=f"run {run.pk} to be computed",
        describe=lambda: f"state {run.state}, progress {run.progress} ({run.stage})",
    )  # fmt: skip
    assert run.state == RunState.READY, (run.state, run.error, run.reasons)
    return run


def test_a_worker_computes_a_requested_run_covering_every_paper_within_conflicts_and_caps(celery_workers):
    edition = make_edition()
    (chair, _other), _people, _papers = build_scene(edition)
    celery_workers.start()

    with transaction.atomic():
        run = request_run(edition=edition, by=chair)
        # The task goes out on commit: a worker must never look for a row it cannot see yet.
        time.sleep(0.3)
        assert AssignmentRun.objects.get(pk=run.pk).state == RunState.QUEUED

    wait_for_run(run)

    assert run.finished_at is not None and run.progress == 100
    assert_proposal_sound(run, edition)


def test_a_run_delivered_three_times_is_computed_once(celery_workers):
    edition = make_edition()
    (chair, _other), _people, _papers = build_scene(edition)
    worker = celery_workers.start(concurrency=2)

    with transaction.atomic():
        run = request_run(edition=edition, by=chair)
        # A second delivery right behind the first: the worker's two pool processes race for the row.
        transaction.on_commit(lambda: build_assignment_run.delay(run.pk))

    wait_for_run(run)
    finished_at, proposal, objective = run.finished_at, run.proposal, run.objective
    build_assignment_run.delay(run.pk)  # and a late one, once the run is ready

    def deliveries(event: str) -> int:
        return len(re.findall(rf"build_assignment_run\[[0-9a-f-]+\] {event}", celery_workers.log_of(worker)))

    wait_until(
        lambda: deliveries("succeeded") >= 3,
        timeout=20,
        message="the three deliveries to be handled",
        describe=lambda: f"{deliveries('succeeded')} handled",
    )
    log = celery_workers.log_of(worker)
    assert deliveries("received") == deliveries("succeeded") == 3, log
    assert "ERROR" not in log and "Traceback" not in log, log
    run.refresh_from_db()
    assert (run.state, run.finished_at, run.proposal, run.objective) == (
        RunState.READY, finished_at, proposal, objective,
    )  # fmt: skip
    assert AssignmentRun.objects.filter(edition=edition).count() == 1
    assert_proposal_sound(run, edition)


# --- Chairs at the same moment --------------------------------------------------------------------


def test_two_chairs_applying_the_same_run_at_once_make_its_assignments_once(private_queue):
    edition = make_edition()
    chairs, _people, _papers = committee(edition)
    run = ready_run(edition, chairs[0])

    outcomes = race(
        *[lambda by=by: apply_run(run=AssignmentRun.objects.get(pk=run.pk), by=by) for by in chairs]
    )

    applied = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(applied) == 1 and len(refused) == 1, outcomes
    assert applied[0] == {"made": len(run.proposal), "skipped": 0}
    assert refused[0].code == "state" and "can no longer be applied" in refused[0].messages[0]
    pairs = list(Assignment.objects.values_list("submission_id", "reviewer_id"))
    assert sorted(pairs) == sorted((row["paper"], row["reviewer"]) for row in run.proposal)
    assert AssignmentRun.objects.get(pk=run.pk).state == RunState.APPLIED


def in_transaction_held(action: Callable[[], object], hold: float) -> Callable[[], object]:
    """The action, its transaction kept open `hold` seconds after it is done (as a slow request would)."""

    def held():
        with transaction.atomic():
            result = action()
            time.sleep(hold)
        return result

    return held


def after(delay: float, action: Callable[[], object]) -> Callable[[], object]:
    def delayed():
        time.sleep(delay)
        return action()

    return delayed


@pytest.mark.parametrize("order", ["at once", "decline first, committed last", "apply first, committed last"])
def test_a_decline_racing_an_apply_stays_declined_and_counts_as_skipped(private_queue, order):
    edition = make_edition()
    (chair, other_chair), _people, _papers = committee(edition)
    run = ready_run(edition, chair)
    # Meanwhile, a chair gave one of the proposed pairs by hand; its reviewer now declines it, while
    # the other chair applies the run, which would make that pair again.
    row = run.proposal[0]
    assignment = services.assign(
        submission=edition.submissions.get(pk=row["paper"]), reviewer=User.objects.get(pk=row["reviewer"]),
        by=chair,
    )  # fmt: skip
    reviewer_user = assignment.reviewer

    def decline():
        return services.decline(assignment=Assignment.objects.get(pk=assignment.pk), by=reviewer_user,
                                reason="No time")  # fmt: skip

    def apply():
        return apply_run(run=AssignmentRun.objects.get(pk=run.pk), by=other_chair)

    if order == "decline first, committed last":  # apply reads the row while the decline holds its lock
        decline, apply = in_transaction_held(decline, 0.4), after(0.1, apply)
    elif order == "apply first, committed last":  # the decline commits before the apply does
        apply, decline = in_transaction_held(apply, 0.4), after(0.1, decline)
    declined, counts = race(decline, apply)

    assert not errors_in([declined, counts]), (declined, counts)
    assert declined.state == Assignment.State.DECLINED
    assert counts == {"made": len(run.proposal) - 1, "skipped": 1}
    rows = list(Assignment.objects.filter(submission_id=row["paper"], reviewer_id=row["reviewer"]))
    assert len(rows) == 1 and rows[0].pk == assignment.pk
    assert (rows[0].state, rows[0].decline_reason) == (Assignment.State.DECLINED, "No time")
    assert rows[0].declined_at is not None and rows[0].automatic is False
    others = Assignment.objects.exclude(pk=assignment.pk)
    assert sorted(others.values_list("submission_id", "reviewer_id")) == sorted(
        (r["paper"], r["reviewer"]) for r in run.proposal[1:]
    )
    assert set(others.values_list("state", "automatic")) == {(Assignment.State.ASSIGNED, True)}


def test_two_chairs_requesting_a_run_at_once_queue_one(private_queue):
    edition = make_edition()
    chairs, _people, _papers = committee(edition)
    purge(private_queue)  # the conflict detections that taking the roles queued

    outcomes = race(
        *[lambda by=by: request_run(edition=Edition.objects.get(pk=edition.pk), by=by) for by in chairs]
    )

    # The first is queued; the second chair is told to wait (never handed the other's proposal).
    (refusal,) = errors_in(outcomes)
    assert isinstance(refusal, ValidationError) and refusal.code == "busy", refusal
    (run,) = [outcome for outcome in outcomes if isinstance(outcome, AssignmentRun)]
    runs = list(AssignmentRun.objects.filter(edition=edition).values_list("pk", "state"))
    assert runs == [(run.pk, RunState.QUEUED)]
    assert messages_in(private_queue) == 1  # one task sent to the workers, not one per click


# --- Reviewers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("saved_before", [False, True], ids=["the first save", "a saved draft"])
def test_two_tabs_saving_one_review_from_the_same_revision_one_wins_whole(private_queue, saved_before):
    edition = make_edition()
    (chair, _other), (user, *_people), (paper, *_papers) = committee(edition)
    assignment = services.assign(submission=paper, reviewer=user, by=chair)
    if saved_before:
        services.save_review(assignment=assignment, by=user, data={"comments_to_authors": "First"},
                             submit=False, revision=None)  # fmt: skip
    loaded = Review.objects.get(assignment=assignment).revision if saved_before else 0
    texts = ["From the first tab", "From the second tab"]

    def save(text):
        services.save_review(
            assignment=Assignment.objects.get(pk=assignment.pk), by=user,
            data={"comments_to_authors": text, "recommendation": "accept"}, submit=False, revision=loaded,
        )  # fmt: skip
        return text

    outcomes = race(*[lambda text=text: save(text) for text in texts])

    winners = [outcome for outcome in outcomes if isinstance(outcome, str)]
    losers = errors_in(outcomes)
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], ValidationError) and losers[0].code == "stale", losers
    review = Review.objects.get(assignment=assignment)
    assert review.comments_to_authors == winners[0]
    assert review.revision == loaded + 1


def revision_on_the_page(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    field = re.search(r'<input[^>]*name="revision"[^>]*>', page)
    assert field, "no revision field on the review page"
    value = re.search(r'value="([^"]*)"', field.group(0))
    return value.group(1) if value else ""


def test_two_tabs_of_a_new_review_do_not_overwrite_each_other_through_the_page(private_queue):
    edition = make_edition()
    (chair, _other), (user, *_people), (paper, *_papers) = committee(edition)
    services.assign(submission=paper, reviewer=user, by=chair)
    url = f"/calls/sse/2028/review/papers/{paper.number}/"
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(user)
    revisions = [revision_on_the_page(tab, url) for tab in tabs]  # both tabs open the empty form

    responses = race(
        *[
            lambda tab=tab, revision=revision, n=n: tab.post(
                url, {"comments_to_authors": f"From tab {n}", "draft": "1", "revision": revision}
            )
            for n, (tab, revision) in enumerate(zip(tabs, revisions, strict=True), 1)
        ]
    )

    assert not errors_in(responses), responses
    saved = [response for response in responses if response.status_code == 302]
    assert len(saved) == 1, [(r.status_code, revisions) for r in responses]
    assert Review.objects.get().revision == 1


# --- Conflicts ------------------------------------------------------------------------------------


def conflict_scene(edition: Edition):
    """People with a role whose organisation, domain or co-authors meet the papers' authors, and a
    detected conflict that no longer holds."""
    organisation = OrganisationFactory(name="Uni A", acronym="UA", email_domains=["uni-a.example"])
    chair = person(edition, Role.Kind.CHAIR)
    people = [reviewer(edition, email=f"r{n}@uni-a.example") for n in range(4)]
    people += [reviewer(edition, email=f"s{n}@uni-b.example", organisation=organisation) for n in range(2)]
    people += [reviewer(edition, email=f"t{n}@gmail.com") for n in range(3)]
    papers = SubmissionFactory.create_batch(6, edition=edition, authors=0)
    for n, paper in enumerate(papers):
        AuthorshipFactory(submission=paper, position=0, email=f"a{n}@uni-a.example")
        AuthorshipFactory(submission=paper, position=1, email=f"b{n}@elsewhere.example")
    # Elsewhere in Convene, the second authors wrote with the webmail reviewers.
    old = SubmissionFactory(edition=EditionFactory(series=edition.series, year=2025), authors=0)
    for position, email in enumerate(
        [f"b{n}@elsewhere.example" for n in range(6)] + [f"t{n}@gmail.com" for n in range(3)]
    ):
        AuthorshipFactory(submission=old, position=position, email=email)
    Conflict.objects.create(submission=papers[0], user=people[-1], kind=Conflict.Kind.SAME_DOMAIN)
    return chair, people, papers


def detected_rows(edition: Edition) -> list[tuple[int, int, str]]:
    return list(
        Conflict.objects.filter(submission__edition=edition, kind__in=DETECTED).values_list(
            "submission_id", "user_id", "kind"
        )
    )


def test_the_conflict_detection_run_twice_at_once_writes_each_conflict_once(private_queue):
    edition = make_edition()
    conflict_scene(edition)
    wanted = sorted((f.submission_id, f.user_id, f.kind) for f in find_conflicts(edition=edition))
    assert len(wanted) > 50 and {kind for *_pair, kind in wanted} == set(DETECTED) - {Conflict.Kind.AUTHOR}

    outcomes = race(*[lambda: detect_conflicts(edition=Edition.objects.get(pk=edition.pk))] * 2)

    assert not errors_in(outcomes), outcomes  # no IntegrityError (nor anything else) escapes
    rows = detected_rows(edition)
    assert len(rows) == len(set(rows)), [row for row, n in Counter(rows).items() if n > 1]
    assert sorted(rows) == wanted  # the one that no longer held is gone
    assert detect_conflicts(edition=edition) == {"added": 0, "removed": 0}
