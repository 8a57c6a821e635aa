"""The automatic assignment of an edition: a run is a row first, a worker computes it, the chair applies it.

The run covers the papers its chair may see (a chair in conflict with a paper leaves it to the paper
manager). Every current assignment stays (locked or not); declined pairs, conflicts, authors and
languages a reviewer does not read are never proposed; so running again after declines fills only
the gaps.
"""

from __future__ import annotations

import logging

import numpy as np
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from conference.models import Edition, Role
from submissions.models import Submission
from submissions.services import chairs_paper, is_chair

from . import affinity as affinity_module
from .assignment import Infeasible, Problem, solve
from .models import Assignment, AssignmentRun, Bid, ReviewerProfile, ReviewSettings
from .services import REVIEWABLE_STATES, excluded_pairs, may_review, notify_assigned

logger = logging.getLogger(__name__)
State = AssignmentRun.State
DEFAULT_MAX_LOAD = 6  # for a reviewer who has not filled in a profile yet


@transaction.atomic
def request_run(*, edition: Edition, by) -> AssignmentRun:
    """Queue a run (a second click while one is computing returns that one; another chair is told to wait)."""
    if not is_chair(edition, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    Edition.objects.select_for_update().get(pk=edition.pk)
    running = (
        AssignmentRun.objects.filter(edition=edition, state__in=[State.QUEUED, State.RUNNING])
        .select_related("requested_by")
        .first()
    )
    if running and running.requested_by_id == by.pk:
        return running
    if running:
        # Not handed over: its proposal shows the papers its requester may see, which may not be this chair's.
        raise ValidationError(
            _("%(name)s is computing an assignment right now. Try again once it is ready (usually within a "
              "minute).") % {"name": running.requested_by.name if running.requested_by else "—"},
            code="busy",
        )  # fmt: skip
    run = AssignmentRun.objects.create(edition=edition, requested_by=by)

    def enqueue() -> None:
        from .tasks import build_assignment_run

        try:
            build_assignment_run.delay(run.pk)
        except BrokerError as exc:  # the chair sees "waiting"; a retry from the page queues it again
            logger.warning("Assignment run %s could not be queued: %s", run.pk, exc)

    transaction.on_commit(enqueue)
    return run


def _claim(run_id: int) -> AssignmentRun | None:
    claimed = AssignmentRun.objects.filter(pk=run_id, state=State.QUEUED).update(state=State.RUNNING)
    return AssignmentRun.objects.select_related("edition", "requested_by").get(pk=run_id) if claimed else None


def _progress(run: AssignmentRun, percent: int, stage: str) -> None:
    run.progress, run.stage = percent, stage
    AssignmentRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def build_run(*, run_id: int) -> None:
    """Compute the run's proposal; safe to call twice (only the call that claims the row works)."""
    run = _claim(run_id)
    if run is None:
        return
    try:
        _build(run)
    except Exception as exc:  # recorded for staff; the chair sees a plain message
        logger.exception("Assignment run %s failed", run.pk)
        AssignmentRun.objects.filter(pk=run.pk).update(
            state=State.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now()
        )


def _build(run: AssignmentRun) -> None:
    edition, chair = run.edition, run.requested_by
    _progress(run, 5, "loading")
    papers = list(
        Submission.objects.organised_by(chair)
        .filter(edition=edition, state__in=REVIEWABLE_STATES)
        .prefetch_related("topics")
        .order_by("number")
    )
    roles = (
        Role.objects.filter(edition=edition, kind=Role.Kind.REVIEWER)
        .select_related("user")
        .order_by("user__name")
    )
    reviewers = [role.user for role in roles]
    profiles = {
        p.user_id: p
        for p in ReviewerProfile.objects.filter(edition=edition).prefetch_related("topics", "papers")
    }
    paper_index = {paper.pk: i for i, paper in enumerate(papers)}
    reviewer_index = {user.pk: j for j, user in enumerate(reviewers)}
    texts = [
        affinity_module.PaperText(
            key=paper.pk, title=paper.title, abstract=paper.abstract,
            topics=frozenset(t.pk for t in paper.topics.all()), language=paper.language,
        )
        for paper in papers
    ]  # fmt: skip
    reviewer_texts = []
    for user in reviewers:
        profile = profiles.get(user.pk)
        reviewer_texts.append(
            affinity_module.ReviewerText(
                key=user.pk,
                expertise=profile.expertise if profile else "",
                papers=[(p.title, p.abstract) for p in profile.papers.all()] if profile else [],
                topics=frozenset(t.pk for t in profile.topics.all()) if profile else frozenset(),
                # Without a profile, the languages of the call are assumed: the chair can correct it.
                languages=frozenset(
                    profile.languages if profile and profile.languages else edition.languages
                ),
            )
        )
    bids = {
        (paper_id, reviewer_id): value
        for paper_id, reviewer_id, value in Bid.objects.filter(
            submission__in=papers, reviewer__in=reviewers
        ).values_list("submission_id", "reviewer_id", "value")
    }
    _progress(run, 25, "affinity")
    review_settings = ReviewSettings.for_edition(edition)
    weights = affinity_module.Weights(
        bid=review_settings.bid_weight, topics=review_settings.topic_weight, text=review_settings.text_weight
    )
    scores = affinity_module.affinity_matrix(texts, reviewer_texts, bids, weights)
    allowed = scores.allowed.copy()
    for submission_id, user_id in excluded_pairs(papers=papers, reviewers=reviewers):
        if submission_id in paper_index and user_id in reviewer_index:
            allowed[paper_index[submission_id], reviewer_index[user_id]] = False

    # What stays: every current assignment. Loads count assignments on papers outside this run too.
    kept, declined, load_elsewhere = set(), set(), np.zeros(len(reviewers), dtype=int)
    for submission_id, user_id, state in Assignment.objects.filter(
        submission__edition=edition, reviewer__in=reviewers
    ).values_list("submission_id", "reviewer_id", "state"):
        r = reviewer_index[user_id]
        p = paper_index.get(submission_id)
        if state == Assignment.State.DECLINED:
            if p is not None:
                declined.add((p, r))
        elif p is None:
            load_elsewhere[r] += 1
        else:
            kept.add((p, r))
    for p, r in declined:
        allowed[p, r] = False
    capacity = np.array(
        [max(0, (profiles[u.pk].max_load if u.pk in profiles else DEFAULT_MAX_LOAD) - load_elsewhere[j])
         for j, u in enumerate(reviewers)], dtype=int,
    )  # fmt: skip
    minimum = np.array([min(profiles[u.pk].min_load if u.pk in profiles else 0, capacity[j])
                        for j, u in enumerate(reviewers)], dtype=int)  # fmt: skip
    language_names = dict(django_settings.LANGUAGES)
    problem = Problem(
        affinity=scores.score.astype(np.float64), allowed=allowed,
        reviews_needed=np.full(len(papers), edition.reviews_per_paper, dtype=int), capacity=capacity,
        minimum=minimum if minimum.any() else None, locked=frozenset(kept),
        extra_cost=review_settings.load_spreading * 10,
        paper_labels=[f"#{paper.number}" for paper in papers], reviewer_labels=[u.name for u in reviewers],
        paper_language=[str(language_names.get(p.language, p.language)) for p in papers],
        reviewer_languages=[frozenset(str(language_names.get(code, code)) for code in t.languages)
                            for t in reviewer_texts],
    )  # fmt: skip
    _progress(run, 60, "solving")
    try:
        solution = solve(problem)
    except Infeasible as infeasible:
        AssignmentRun.objects.filter(pk=run.pk).update(
            state=State.INFEASIBLE, reasons=[str(reason) for reason in infeasible.reasons], progress=100,
            finished_at=timezone.now(),
        )  # fmt: skip
        return
    proposal = []
    for p, r in solution.pairs:
        if (p, r) in kept:
            continue
        reason = scores.reason(p, r, texts, reviewer_texts)
        proposal.append({"paper": papers[p].pk, "reviewer": reviewers[r].pk, "reason": reason})
    AssignmentRun.objects.filter(pk=run.pk).update(
        state=State.READY, proposal=proposal, objective=solution.objective, progress=100, stage="",
        finished_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def apply_run(*, run: AssignmentRun, by) -> dict[str, int]:
    """Make the proposal's assignments; a pair that became impossible meanwhile is skipped and counted."""
    locked = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if locked.state != State.READY:
        raise ValidationError(_("This proposal can no longer be applied."), code="state")
    if not is_chair(locked.edition, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    papers = {s.pk: s for s in Submission.objects.filter(pk__in={row["paper"] for row in locked.proposal})}
    made = skipped = 0
    given: dict = {}
    people = {
        u.pk: u for u in get_user_model().objects.filter(pk__in={row["reviewer"] for row in locked.proposal})
    }
    for row in locked.proposal:
        paper, reviewer = papers.get(row["paper"]), people.get(row["reviewer"])
        if paper is None or reviewer is None or not chairs_paper(paper, by) or may_review(paper, reviewer):
            skipped += 1
            continue
        _assignment, created = Assignment.objects.get_or_create(
            submission=paper, reviewer=reviewer, defaults={"assigned_by": by, "automatic": True}
        )
        made += created
        skipped += not created
        if created:
            given.setdefault(reviewer, []).append(paper)
    for reviewer, their_papers in given.items():  # one mail per reviewer, whatever the number of papers
        notify_assigned(
            reviewer=reviewer, papers=their_papers, key=f"review-assigned-run:{run.pk}:{reviewer.pk}"
        )
    locked.state = State.APPLIED
    locked.applied_at = timezone.now()
    locked.save(update_fields=["state", "applied_at"])
    return {"made": made, "skipped": skipped}


@transaction.atomic
def discard_run(*, run: AssignmentRun, by) -> None:
    if not is_chair(run.edition, by):
        raise ValidationError(_("Only a chair of this edition can do this."), code="actor")
    AssignmentRun.objects.filter(pk=run.pk, state__in=[State.READY, State.INFEASIBLE, State.FAILED]).update(
        state=State.DISCARDED
    )
