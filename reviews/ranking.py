"""The committee's ranking table: every paper a member may see, with its statistics, votes and decision.

A fixed number of queries, whatever the number of papers and reviews; sorting and filtering on the
statistics happen here, in Python, since they are computed here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from conference.models import Edition
from submissions.models import Submission

from .calibration import calibrate
from .models import Assignment, Decision, ReviewSettings, Vote
from .review_forms import review_form_for
from .scoring import PaperStats, paper_stats

RANKED_STATES = [
    Submission.State.SUBMITTED,
    Submission.State.UNDER_REVIEW,
    Submission.State.ACCEPTED,
    Submission.State.REJECTED,
    Submission.State.FINAL_SUBMITTED,
    Submission.State.CAMERA_READY,
    Submission.State.PUBLISHED,
]

FLAGS = {"disagreement", "incomplete", "undecided", "decided"}

# Sort keys: a column name, "-" in front for descending. None values always go last.
SORTS = {
    "number": lambda row: row.paper.number,
    "title": lambda row: str(row.paper.title).casefold(),
    "mean": lambda row: row.stats.mean,
    "median": lambda row: row.stats.median,
    "confident": lambda row: row.stats.confident_mean,
    "total": lambda row: row.stats.weighted_total,
    "calibrated": lambda row: row.stats.calibrated,
    "spread": lambda row: row.stats.spread,
    "done": lambda row: row.stats.done,
}
DEFAULT_SORT = "-mean"


@dataclass
class Row:
    paper: Submission
    stats: PaperStats
    decision: Decision | None
    votes: Counter = field(default_factory=Counter)


def ranking(
    *, edition: Edition, user, track: int | None = None, topic: int | None = None, flag: str = "",
    sort: str = DEFAULT_SORT,
) -> tuple[list[Row], ReviewSettings]:  # fmt: skip
    settings = ReviewSettings.for_edition(edition)
    criteria = list(review_form_for(edition).criteria.all())
    papers = (
        Submission.objects.organised_by(user)
        .filter(edition=edition, state__in=RANKED_STATES)
        .select_related("edition__series", "track", "decision__outcome", "decision__decided_by")
        .prefetch_related(
            "topics",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(state=Assignment.State.ASSIGNED).select_related("review"),
                to_attr="active_assignments",
            ),
            Prefetch("votes", queryset=Vote.objects.only("submission_id", "value"), to_attr="ballots"),
        )
    )
    rows = []
    for paper in papers:
        reviews = [a.review for a in paper.active_assignments if hasattr(a, "review")]
        stats = paper_stats(
            reviews, criteria, expected=max(edition.reviews_per_paper, len(paper.active_assignments)),
            threshold=settings.disagreement_threshold,
        )  # fmt: skip
        decision = getattr(paper, "decision", None)
        rows.append(Row(paper, stats, decision, Counter(ballot.value for ballot in paper.ballots)))
    if settings.calibration:
        _calibrate(rows, criteria)  # on every paper the person may see: a filter never changes a score
    rows = [row for row in rows if _flagged(row, flag) and _in(row, track, topic)]
    return _sorted(rows, sort), settings


def _calibrate(rows: list[Row], criteria) -> None:
    from .scoring import review_score

    observations = [
        (row.paper.pk, assignment.reviewer_id, score)
        for row in rows
        for assignment in row.paper.active_assignments
        if hasattr(assignment, "review") and assignment.review.state == "submitted"
        and (score := review_score(assignment.review.scores, criteria)) is not None
    ]  # fmt: skip
    calibrated = calibrate(observations).scores
    for row in rows:
        row.stats.calibrated = calibrated.get(row.paper.pk)


def _in(row: Row, track: int | None, topic: int | None) -> bool:
    if track and row.paper.track_id != track:
        return False
    return not topic or any(t.pk == topic for t in row.paper.topics.all())


def _flagged(row: Row, flag: str) -> bool:
    if flag == "disagreement":
        return row.stats.disagreement
    if flag == "incomplete":
        return row.stats.done < row.stats.expected
    if flag == "undecided":
        return row.decision is None
    if flag == "decided":
        return row.decision is not None
    return True


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    descending = sort.startswith("-")
    key = SORTS.get(sort.lstrip("-"), SORTS["mean"])
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    known.sort(
        key=lambda row: (key(row), -row.paper.number if descending else row.paper.number), reverse=descending
    )
    return known + sorted(unknown, key=lambda row: row.paper.number)
