"""The assignment solver against independent optima: HiGHS on the LP, and exhaustive search.

Pure numpy, no database. Every result goes through `assert_valid`, which checks every constraint.
"""

from functools import cache
from itertools import combinations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from reviews.assignment import (
    NO_ARC,
    SCALE,
    Infeasible,
    Problem,
    Solution,
    explain_infeasible,
    integer_costs,
    refill,
    solve,
)

# Forces the pruned start (one arc per paper, none per reviewer): every optimum then rests on pricing.
PRUNED = {"candidates": 1, "reviewer_candidates": 0}


def pair_cost(problem: Problem, p: int, r: int) -> int:
    return int(np.rint((1.0 - float(problem.affinity[p, r])) * SCALE))


def objective_of(problem: Problem, pairs) -> int:
    loads = np.bincount([r for _, r in pairs], minlength=problem.shape[1])
    load_cost = problem.extra_cost * sum(int(n) * (int(n) - 1) // 2 for n in loads)
    return sum(pair_cost(problem, p, r) for p, r in pairs) + load_cost


def assert_valid(problem: Problem, solution: Solution) -> None:
    pairs = solution.pairs
    assert len(set(pairs)) == len(pairs), "a pair is assigned twice"
    n_papers, n_reviewers = problem.shape
    per_paper = np.bincount([p for p, _ in pairs], minlength=n_papers)
    loads = np.bincount([r for _, r in pairs], minlength=n_reviewers)
    locked_per_paper = np.bincount([p for p, _ in problem.locked], minlength=n_papers)
    locked_load = np.bincount([r for _, r in problem.locked], minlength=n_reviewers)
    assert (per_paper == np.maximum(problem.reviews_needed, locked_per_paper)).all(), "wrong review count"
    assert (loads <= np.maximum(problem.capacity, locked_load)).all(), "a cap is exceeded"
    if problem.minimum is not None:
        assert (loads >= problem.minimum).all(), "a minimum is not met"
    assert problem.locked <= set(pairs), "a locked pair was dropped"
    for p, r in set(pairs) - problem.locked:
        assert problem.allowed[p, r], f"({p}, {r}) is not allowed"
    assert solution.objective == objective_of(problem, pairs)
    assert solution.affinity_total == pytest.approx(sum(float(problem.affinity[p, r]) for p, r in pairs))


def brute_force(problem: Problem) -> int | None:
    """The least objective over every assignment (None when there is none), by exhaustive search.

    Each paper takes one combination of its allowed reviewers; the search walks every combination of
    every paper, remembering the best completion for (paper, loads so far), which prunes nothing that
    could matter: the rest of the cost depends on nothing else.
    """
    n_papers, n_reviewers = problem.shape
    minimum = problem.minimum if problem.minimum is not None else [0] * n_reviewers
    loads0 = [0] * n_reviewers
    missing = [int(n) for n in problem.reviews_needed]
    for p, r in problem.locked:
        loads0[r] += 1
        missing[p] -= 1
    options = [
        list(
            combinations(
                [r for r in range(n_reviewers) if problem.allowed[p, r] and (p, r) not in problem.locked],
                max(0, missing[p]),
            )
        )
        for p in range(n_papers)
    ]
    infinity = float("inf")

    @cache
    def best(p: int, loads: tuple[int, ...]) -> float:
        if p == n_papers:
            if any(load < low for load, low in zip(loads, minimum, strict=True)):
                return infinity
            return problem.extra_cost * sum(load * (load - 1) // 2 for load in loads)
        result = infinity
        for reviewers in options[p]:
            new = list(loads)
            for r in reviewers:
                new[r] += 1
            if any(new[r] > problem.capacity[r] for r in reviewers):
                continue
            result = min(result, sum(pair_cost(problem, p, r) for r in reviewers) + best(p + 1, tuple(new)))
        return result

    least = best(0, tuple(loads0))
    if least == infinity:
        return None
    return int(least) + sum(pair_cost(problem, p, r) for p, r in problem.locked)


def random_small_problem(rng: np.random.Generator, index: int) -> Problem:
    n_papers, n_reviewers = int(rng.integers(4, 7)), int(rng.integers(3, 6))
    allowed = rng.random((n_papers, n_reviewers)) > 0.15
    # Caps that bind: the total is the need, or one or two more, spread unevenly.
    needed = 2 * n_papers
    capacity = rng.multinomial(needed + int(rng.integers(0, 3)), np.full(n_reviewers, 1 / n_reviewers))
    minimum = None
    if index % 4 == 2:
        minimum = np.minimum(capacity, rng.integers(0, 3, n_reviewers))
    locked = (int(rng.integers(n_papers)), int(rng.integers(n_reviewers)))
    return Problem(
        affinity=rng.random((n_papers, n_reviewers)),
        allowed=allowed,
        reviews_needed=np.full(n_papers, 2),
        capacity=capacity,
        minimum=minimum,
        locked=frozenset({locked}),
        extra_cost=int(rng.integers(50, 400)) if index % 3 == 1 else 0,
    )


def test_objective_equals_exhaustive_search_on_400_small_instances():
    rng = np.random.default_rng(2026)
    feasible = infeasible = 0
    for index in range(400):
        problem = random_small_problem(rng, index)
        expected = brute_force(problem)
        for options in ({}, PRUNED):
            if expected is None:
                with pytest.raises(Infeasible) as raised:
                    solve(problem, **options)
                assert raised.value.reasons, "an infeasible problem must say why"
                continue
            solution = solve(problem, **options)
            assert_valid(problem, solution)
            assert solution.objective == expected, (index, options)
        feasible += expected is not None
        infeasible += expected is None
    # Both kinds are exercised, not just one.
    assert feasible >= 250 and infeasible >= 20


def random_problem_300_by_100(seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    n_papers, n_reviewers = 300, 100
    capacity = np.full(n_reviewers, 9)
    capacity[rng.choice(n_reviewers, 45, replace=False)] += 1  # 945 places for 900 reviews
    return Problem(
        affinity=rng.random((n_papers, n_reviewers)),
        allowed=rng.random((n_papers, n_reviewers)) > 0.05,
        reviews_needed=np.full(n_papers, 3),
        capacity=capacity,
    )


def highs_optimum(problem: Problem) -> float:
    """The LP optimum on the same integer costs (integral: the constraint matrix is a network's)."""
    costs = integer_costs(problem)
    papers, reviewers = np.nonzero(problem.allowed)
    n_papers, n_reviewers = problem.shape
    columns = np.arange(papers.size)
    ones = np.ones(papers.size)
    each_paper = sp.csr_matrix((ones, (papers, columns)), shape=(n_papers, papers.size))
    each_reviewer = sp.csr_matrix((ones, (reviewers, columns)), shape=(n_reviewers, papers.size))
    result = linprog(
        costs[papers, reviewers].astype(float),
        A_ub=each_reviewer,
        b_ub=problem.capacity,
        A_eq=each_paper,
        b_eq=problem.reviews_needed,
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0, result.message
    return result.fun


def test_objective_equals_highs_linear_program_on_300_papers_by_100_reviewers():
    problem = random_problem_300_by_100(seed=7)
    costs = integer_costs(problem)
    # The caps bind: each paper's three favourites would overload some reviewers.
    favourites = np.argsort(np.where(problem.allowed, costs, NO_ARC), axis=1)[:, :3]
    assert (np.bincount(favourites.ravel(), minlength=100) > problem.capacity).any()

    optimum = highs_optimum(problem)
    for options in ({}, PRUNED):
        solution = solve(problem, **options)
        assert_valid(problem, solution)
        assert solution.objective == pytest.approx(optimum, abs=1e-6)
    # The pruned start needed pricing rounds to reach it.
    assert solve(problem, **PRUNED).rounds > 1


def test_integer_costs_scale_affinities_and_mark_exclusions():
    problem = Problem(
        affinity=np.array([[0.0, 0.25, 0.9996], [1.0, 0.5, 0.1234]]),
        allowed=np.array([[True, True, True], [True, False, True]]),
        reviews_needed=np.array([1, 1]),
        capacity=np.array([1, 1, 1]),
    )
    assert integer_costs(problem).tolist() == [[1000, 750, 0], [0, NO_ARC, 877]]


def french_edition() -> Problem:
    """33 English and 7 French papers (3 reviews each); 4 of 20 reviewers read French, with 9 places."""
    english, french = [f"EN-{n}" for n in range(1, 34)], [f"FR-{n}" for n in range(1, 8)]
    papers = english[:10] + french[:4] + english[10:] + french[4:]  # the French ones are not in a block
    languages = ["French" if label.startswith("FR") else "English" for label in papers]
    reviewer_languages = [{"English", "French"}] * 4 + [{"English"}] * 16
    capacity = np.array([3, 2, 2, 2] + [8] * 16)  # 137 places for 120 reviews
    allowed = np.array([[language in spoken for spoken in reviewer_languages] for language in languages])
    return Problem(
        affinity=np.random.default_rng(3).random(allowed.shape),
        allowed=allowed,
        reviews_needed=np.full(len(papers), 3),
        capacity=capacity,
        paper_labels=papers,
        reviewer_labels=[f"R{n}" for n in range(20)],
        paper_language=languages,
        reviewer_languages=reviewer_languages,
    )


def test_uncoverable_french_papers_are_named_with_the_language_constraint():
    problem = french_edition()
    assert problem.capacity.sum() >= problem.reviews_needed.sum()
    with pytest.raises(Infeasible) as raised:
        solve(problem)
    [reason] = raised.value.reasons
    text = str(reason)
    french = [label for label in problem.paper_labels if label.startswith("FR")]
    assert sorted(problem.paper_label(p) for p in reason.papers) == sorted(french)
    for label in french:
        assert label in text
    assert "EN-" not in text
    assert "French" in text and "4 reviewers" in text and "9 places" in text
    assert text.startswith("These 7 French papers")
    assert [str(r) for r in explain_infeasible(problem)] == [text]


def test_without_languages_a_blocked_group_is_named_by_its_reviewers_places():
    problem = french_edition()
    problem = Problem(
        affinity=problem.affinity,
        allowed=problem.allowed,
        reviews_needed=problem.reviews_needed,
        capacity=problem.capacity,
        paper_labels=problem.paper_labels,
    )
    [reason] = explain_infeasible(problem)
    assert sorted(problem.paper_label(p) for p in reason.papers) == [f"FR-{n}" for n in range(1, 8)]
    assert "need 21 more reviews" in str(reason) and "only 9" in str(reason)


def test_a_paper_with_too_few_allowed_reviewers_is_named():
    allowed = np.ones((3, 4), dtype=bool)
    allowed[1, 1:] = False  # paper B: conflicts with all but one reviewer
    problem = Problem(
        affinity=np.full((3, 4), 0.5),
        allowed=allowed,
        reviews_needed=np.full(3, 3),
        capacity=np.full(4, 5),
        paper_labels=["A", "B", "C"],
    )
    with pytest.raises(Infeasible) as raised:
        solve(problem)
    assert [str(reason) for reason in raised.value.reasons] == [
        "Paper B: only 1 reviewer may review it (3 needed)."
    ]


def test_too_few_places_in_total_are_counted():
    problem = Problem(
        affinity=np.full((4, 2), 0.5),
        allowed=np.ones((4, 2), dtype=bool),
        reviews_needed=np.full(4, 2),
        capacity=np.array([3, 3]),
    )
    with pytest.raises(Infeasible) as raised:
        solve(problem)
    assert "need 8 more reviews" in str(raised.value) and "only 6 places" in str(raised.value)


def test_an_unreachable_minimum_is_explained():
    allowed = np.ones((4, 3), dtype=bool)
    allowed[:3, 2] = False  # reviewer R2 may only review the last paper
    problem = Problem(
        affinity=np.full((4, 3), 0.5),
        allowed=allowed,
        reviews_needed=np.full(4, 1),
        capacity=np.array([4, 4, 4]),
        minimum=np.array([0, 0, 2]),
        reviewer_labels=["R0", "R1", "R2"],
    )
    with pytest.raises(Infeasible) as raised:
        solve(problem)
    assert str(raised.value) == "Reviewer R2 must review 2 more papers, but only 1 may be given to them."


def test_locked_pairs_stay_even_when_excluded_or_costly():
    rng = np.random.default_rng(11)
    affinity = rng.random((6, 4))
    allowed = np.ones((6, 4), dtype=bool)
    allowed[0, 3] = False
    affinity[1, 2] = 0.0  # the worst pair there is
    problem = Problem(
        affinity=affinity,
        allowed=allowed,
        reviews_needed=np.full(6, 2),
        capacity=np.full(4, 4),
        locked=frozenset({(0, 3), (1, 2)}),
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert {(0, 3), (1, 2)} <= set(solution.pairs)
    assert [reason.papers for reason in solution.warnings] == [[0]]  # the excluded one is noted


def test_excluded_pairs_never_appear_even_when_best():
    rng = np.random.default_rng(5)
    affinity = rng.random((20, 8)) * 0.5
    allowed = rng.random((20, 8)) > 0.3
    affinity[~allowed] = 1.0  # the most attractive pairs are exactly the forbidden ones
    problem = Problem(affinity, allowed, np.full(20, 2), np.full(8, 6))
    solution = solve(problem)
    assert_valid(problem, solution)
    assert all(allowed[p, r] for p, r in solution.pairs)


def test_minimum_loads_hold():
    affinity = np.full((10, 4), 0.2)
    affinity[:, 0] = 0.9  # everyone prefers reviewer 0, nobody reviewer 3
    affinity[:, 3] = 0.0
    base = dict(affinity=affinity, allowed=np.ones((10, 4), dtype=bool), reviews_needed=np.full(10, 2))
    without = solve(Problem(**base, capacity=np.full(4, 10)))
    assert not any(r == 3 for _, r in without.pairs)
    problem = Problem(**base, capacity=np.full(4, 10), minimum=np.array([0, 0, 0, 4]))
    solution = solve(problem)
    assert_valid(problem, solution)
    assert sum(r == 3 for _, r in solution.pairs) == 4
    assert solution.objective == brute_force(problem)


def test_rising_cost_spreads_load():
    affinity = np.full((12, 4), 0.5)
    affinity[:, 0] = 0.9  # one reviewer is everyone's best
    base = dict(affinity=affinity, allowed=np.ones((12, 4), dtype=bool), reviews_needed=np.full(12, 1))
    greedy = solve(Problem(**base, capacity=np.full(4, 12)))
    assert np.bincount([r for _, r in greedy.pairs], minlength=4).tolist() == [12, 0, 0, 0]
    problem = Problem(**base, capacity=np.full(4, 12), extra_cost=100)
    spread = solve(problem)
    assert_valid(problem, spread)
    loads = np.bincount([r for _, r in spread.pairs], minlength=4)
    # Reviewer 0 saves 400 a paper, but its k-th paper costs 100 (k - 1) more: 6 for it, 2 for the others.
    assert loads.tolist() == [6, 2, 2, 2]
    assert spread.objective == brute_force(problem)


def test_refill_keeps_every_kept_pair_and_fills_only_the_gaps():
    problem = random_problem_300_by_100(seed=21)
    first = solve(problem)
    rng = np.random.default_rng(4)
    declined = {first.pairs[i] for i in rng.choice(len(first.pairs), 40, replace=False)}
    kept = set(first.pairs) - declined
    again = refill(problem, kept, declined)

    assert kept <= set(again.pairs)
    assert not declined & set(again.pairs)
    new = set(again.pairs) - kept
    assert sorted(p for p, _ in new) == sorted(p for p, _ in declined)  # one new reviewer per one lost
    per_paper = np.bincount([p for p, _ in again.pairs], minlength=300)
    assert (per_paper == 3).all()
    loads = np.bincount([r for _, r in again.pairs], minlength=100)
    assert (loads <= problem.capacity).all()


def test_refill_is_optimal_for_the_gaps():
    rng = np.random.default_rng(8)
    for index in range(20):
        problem = random_small_problem(rng, 3 * index)  # no minimum, no extra cost
        try:
            first = solve(problem)
        except Infeasible:
            continue
        declined = {first.pairs[int(rng.integers(len(first.pairs)))]} - problem.locked
        kept = set(first.pairs) - declined
        allowed = problem.allowed.copy()
        for p, r in declined:
            allowed[p, r] = False
        gaps = Problem(
            problem.affinity, allowed, problem.reviews_needed, problem.capacity, locked=frozenset(kept)
        )
        expected = brute_force(gaps)
        if expected is None:
            with pytest.raises(Infeasible):
                refill(problem, kept, declined)
            continue
        again = refill(problem, kept, declined)
        assert_valid(gaps, again)
        assert again.objective == expected
