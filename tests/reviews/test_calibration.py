"""Calibration on synthetic committees whose true paper quality and reviewer biases are known."""

import numpy as np
import pytest
from scipy.stats import kendalltau

from reviews.calibration import calibrate


def committee(seed: int, *, bias_sd: float, papers: int = 150, reviewers: int = 45, per_paper: int = 3):
    """Scores on a 1–5 scale: true quality + the reviewer's bias + noise, each paper read by 3 people."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(3.0, 0.6, papers)
    bias = rng.normal(0.0, bias_sd, reviewers)
    observations = []
    for paper in range(papers):
        for reviewer in rng.choice(reviewers, size=per_paper, replace=False):
            score = quality[paper] + bias[reviewer] + rng.normal(0.0, 0.35)
            observations.append((paper, int(reviewer), float(np.clip(score, 1, 5))))
    return quality, observations


def taus(seed: int, *, bias_sd: float) -> tuple[float, float]:
    quality, observations = committee(seed, bias_sd=bias_sd)
    by_paper: dict[int, list[float]] = {}
    for paper, _reviewer, score in observations:
        by_paper.setdefault(paper, []).append(score)
    raw = [np.mean(by_paper[paper]) for paper in range(len(quality))]
    calibrated_scores = calibrate(observations).scores
    calibrated = [calibrated_scores[paper] for paper in range(len(quality))]
    return kendalltau(raw, quality).statistic, kendalltau(calibrated, quality).statistic


def test_calibration_ranks_closer_to_the_truth_in_at_least_18_of_20_committees():
    better = sum(calibrated > raw for raw, calibrated in (taus(seed, bias_sd=0.6) for seed in range(20)))
    assert better >= 18


@pytest.mark.parametrize("seed", range(20))
def test_without_biases_calibration_costs_nothing(seed):
    raw, calibrated = taus(seed, bias_sd=0.0)
    assert calibrated >= raw - 0.01


def test_a_reviewer_who_scores_everyone_higher_gets_a_positive_bias():
    observations = [(paper, "generous", 4.5) for paper in range(10)]
    observations += [(paper, f"fair-{paper}", 3.0) for paper in range(10)]
    observations += [(paper, f"fair-{paper}-2", 3.0) for paper in range(10)]
    result = calibrate(observations, bias_penalty=1.0)
    assert result.biases["generous"] > 0.5
    assert all(abs(score - 3.0) < abs(3.5 - 3.0) for score in result.scores.values())  # below the raw mean


def test_nothing_to_calibrate_gives_nothing():
    assert calibrate([]).scores == {}


def test_reviewers_who_do_not_differ_are_barely_corrected():
    _quality, observations = committee(3, bias_sd=0.0)
    result = calibrate(observations)
    assert result.penalty > 50
    assert max(abs(bias) for bias in result.biases.values()) < 0.05
