"""Reviewer calibration: some reviewers score high, some low. Fit score = mean + paper quality +
reviewer bias by regularised (ridge) least squares, and read each paper's calibrated score as
mean + quality; the raw scores are never replaced, only shown beside.

How hard biases are pulled towards zero is estimated from the scores themselves (empirical Bayes:
the penalty is the noise variance over the variance of the biases). A committee whose reviewers do
not really differ gets a huge penalty, so calibration changes nothing; a reviewer with two reviews
is corrected less than one with twenty. The tiny penalty on qualities only keeps the system solvable
when papers and reviewers fall apart into unconnected groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

QUALITY_PENALTY = 0.01
ROUNDS = 10
MAX_PENALTY = 1e4


@dataclass(frozen=True)
class Calibration:
    scores: dict[Hashable, float]  # paper -> calibrated score
    biases: dict[Hashable, float]  # reviewer -> estimated bias (+ scores high)
    penalty: float


def calibrate(
    observations: Iterable[tuple[Hashable, Hashable, float]], *, bias_penalty: float | None = None
) -> Calibration:
    """From (paper, reviewer, score) triples; `bias_penalty` fixes the penalty instead of estimating it."""
    rows = list(observations)
    if not rows:
        return Calibration({}, {}, 0.0)
    papers = {key: i for i, key in enumerate(dict.fromkeys(paper for paper, _r, _s in rows))}
    reviewers = {key: i for i, key in enumerate(dict.fromkeys(reviewer for _p, reviewer, _s in rows))}
    n_papers, n_reviewers, n = len(papers), len(reviewers), len(rows)
    scores = np.fromiter((score for _p, _r, score in rows), dtype=float, count=n)
    mean = float(scores.mean())
    paper_of = np.fromiter((papers[paper] for paper, _r, _s in rows), dtype=np.int64, count=n)
    reviewer_of = np.fromiter((reviewers[reviewer] for _p, reviewer, _s in rows), dtype=np.int64, count=n)
    # One row per score: a 1 in its paper's column and in its reviewer's column.
    design = sparse.csr_matrix(
        (np.ones(2 * n), (np.repeat(np.arange(n), 2), np.ravel(np.c_[paper_of, n_papers + reviewer_of]))),
        shape=(n, n_papers + n_reviewers),
    )
    gram, target = (design.T @ design).tocsc(), design.T @ (scores - mean)
    reviews_each = np.bincount(reviewer_of, minlength=n_reviewers).mean()

    def solve(penalty: float) -> np.ndarray:
        ridge = sparse.diags(np.r_[np.full(n_papers, QUALITY_PENALTY), np.full(n_reviewers, penalty)])
        return spsolve((gram + ridge).tocsc(), target)

    penalty = bias_penalty if bias_penalty is not None else 1.0
    solution = solve(penalty)
    for _ in range(ROUNDS if bias_penalty is None else 0):
        residual = scores - mean - design @ solution
        noise = residual @ residual / max(n - n_papers - n_reviewers, 1)
        # A shrunk bias has variance (n/(n+penalty))² (true variance + noise/n): undo both to estimate it.
        spread = np.var(solution[n_papers:]) * ((reviews_each + penalty) / reviews_each) ** 2
        bias_variance = max(spread - noise / reviews_each, noise / MAX_PENALTY)
        penalty = min(noise / bias_variance, MAX_PENALTY) if noise > 0 else MAX_PENALTY
        solution = solve(penalty)
    quality, bias = solution[:n_papers], solution[n_papers:]
    return Calibration(
        scores={key: mean + float(quality[i]) for key, i in papers.items()},
        biases={key: float(bias[i]) for key, i in reviewers.items()},
        penalty=float(penalty),
    )
