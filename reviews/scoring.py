"""Scores: each review's score on a 1–5 scale, and each paper's statistics for the committee.

A review's score is the weighted mean of its criteria, each point rescaled to 1–5 so that criteria
with other scales count alike (on the default five-point scales it is the plain weighted mean).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

LOW, HIGH = 1.0, 5.0


def review_score(scores: dict, criteria: Sequence) -> float | None:
    """The review's score from its {criterion pk: point}; None when no weighted criterion is scored."""
    total = weights = 0.0
    for criterion in criteria:
        point, points = scores.get(str(criterion.pk)), len(criterion.scale)
        if point is None or points < 2 or criterion.weight <= 0:
            continue
        total += criterion.weight * (LOW + (HIGH - LOW) * (int(point) - 1) / (points - 1))
        weights += criterion.weight
    return total / weights if weights else None


@dataclass
class PaperStats:
    scores: list[float] = field(default_factory=list)  # one per submitted review with a score
    confidences: list[int] = field(default_factory=list)
    done: int = 0
    expected: int = 0
    weighted_total: float | None = None
    disagreement: bool = False
    calibrated: float | None = None

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    @property
    def confident_mean(self) -> float | None:
        """The mean weighted by each reviewer's confidence (a review without one counts as 1)."""
        if not self.scores:
            return None
        weights = [confidence or 1 for confidence in self.confidences]
        return sum(s * w for s, w in zip(self.scores, weights, strict=True)) / sum(weights)

    @property
    def spread(self) -> float | None:
        return max(self.scores) - min(self.scores) if self.scores else None


def paper_stats(reviews: Sequence, criteria: Sequence, *, expected: int, threshold: float) -> PaperStats:
    """Statistics over a paper's submitted reviews (`reviews` may hold drafts: they are left out)."""
    stats = PaperStats(expected=expected)
    points_by_criterion: dict[int, list[int]] = {criterion.pk: [] for criterion in criteria}
    for review in reviews:
        if review.state != "submitted":
            continue
        stats.done += 1
        score = review_score(review.scores, criteria)
        if score is not None:
            stats.scores.append(score)
            stats.confidences.append(review.confidence)
        for criterion in criteria:
            point = review.scores.get(str(criterion.pk))
            if point is not None:
                points_by_criterion[criterion.pk].append(int(point))
    scored = [
        (c.weight, statistics.fmean(points_by_criterion[c.pk])) for c in criteria if points_by_criterion[c.pk]
    ]
    stats.weighted_total = sum(weight * mean for weight, mean in scored) if scored else None
    stats.disagreement = stats.spread is not None and stats.spread > threshold
    return stats
