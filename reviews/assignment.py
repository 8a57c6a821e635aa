"""Reviewer assignment: an exact minimum-cost flow on plain numpy data, and why it may fail, in words.

The review app turns an edition into a `Problem` (affinities from `reviews.affinity`, conflicts and
languages as `allowed`, caps, locked pairs), calls `solve` and stores the `Solution`'s pairs; after some
reviewers decline, `refill` fills only the gaps. When no assignment exists, `Infeasible.reasons` says
which papers (or reviewers) are blocked and by what, as `Reason` templates the caller may translate.

The model. Each free pair (paper p, reviewer r) costs `round((1 - affinity) * SCALE)` (integer, lower is
better). Every paper gets exactly `reviews_needed` reviewers, every reviewer at most `capacity` and at
least `minimum` papers, a pair that is not `allowed` is never chosen, and `locked` pairs always stay
(they count towards both the paper's reviews and the reviewer's load). With `extra_cost = e`, a
reviewer's k-th paper costs (k - 1) * e more: a load of L costs e * L * (L - 1) / 2, which spreads load.
`Solution.objective` is the sum of the pair costs (locked pairs included) plus those load costs.

The network, solved by OR-Tools' SimpleMinCostFlow (we never write a solver): paper p supplies its
missing reviews; arcs p -> r (capacity 1, the pair's cost) for allowed, unlocked pairs; reviewer r
demands its missing minimum m (the standard lower-bound transformation) and sends the rest to the sink
over unit arcs of increasing cost (L + k) * e for its k-th further paper, or one arc of cost 0 when e is
0. Load costs are convex, so the cheapest arcs fill first and the arc costs are exactly the load costs.
Two "overflow" arcs of cost M keep the network always solvable: paper -> sink (a review left
uncovered) and sink -> reviewer (a minimum left unmet).

Why the result is optimal, although only some pairs become arcs. Every allowed pair as an arc would be
30 M arcs at 10,000 x 3,000 (about 50 s and 4 GB here); instead each paper starts with its `candidates`
cheapest pairs and each reviewer with its cheapest papers (3 x its places left). After each solve we
compute node potentials d: shortest distances in the residual graph from a virtual root joined to every
node at cost 0 (Bellman-Ford; the residual graph of an optimal flow has no negative cycle), so every
residual arc u -> v has reduced cost c + d(u) - d(v) >= 0. Then we price every pair left out, all
30 M of them, in numpy: if each has cost(p, r) + d(p) - d(r) >= 0, the same potentials satisfy the
complementary-slackness conditions of the network with *every* usable pair as an arc (a left-out arc
carries no flow, so only its forward residual arc needs a non-negative reduced cost), and the flow is
optimal for the full problem. Otherwise the left-out pairs of most negative reduced cost are added and
we solve again; each round adds at least one arc, so it ends (two or three rounds in the benchmark).
Pairs of a paper that needs nothing more, or of a reviewer with no place left, can never carry flow
nor lie on a cycle, so they are not part of the full network at all.
Overflow: M = (nodes + 1) x the largest |arc cost| + 1. Compare an optimum f with any feasible
assignment f* (no overflow): f* - f splits into simple residual cycles of f, each of cost >= 0 since f
is optimal. A cycle through an overflow arc passes the sink once, so it holds at most two overflow arcs,
both reversed (f* uses none), and fewer than `nodes` other arcs: its cost is below -M + nodes x largest
< 0. So no cycle touches an overflow arc and f uses none: overflow in the optimum means "infeasible".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from ortools.graph.python import max_flow, min_cost_flow
from scipy.sparse.csgraph import connected_components

# Affinities are floats; the flow solver wants integers. 1,000 steps per unit of affinity keeps three
# decimals, finer than any affinity we compute means, while costs stay far below int32 limits.
SCALE = 1000
# The cost `integer_costs` gives a pair that is not allowed: never a real cost, and loud if summed.
NO_ARC = int(np.iinfo(np.int32).max)
# Cells of a (papers x reviewers) block handled at once: bounded temporary memory at any size.
CHUNK_CELLS = 4_000_000
# Each reviewer's cheapest papers that start as arcs, in multiples of their places left (see
# `_cheapest_pairs`): it changes the speed, never the result.
REVIEWER_CANDIDATES = 3
# Names listed in one sentence before "and N more"; `Reason.papers` always holds them all.
LISTED = 25


@dataclass(frozen=True)
class Reason:
    """A sentence for the chair: an English `template` with `params`, and the papers or reviewers meant."""

    template: str
    params: dict
    papers: list[int] = field(default_factory=list)
    reviewers: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return self.template.format(**self.params)


class Infeasible(Exception):
    """No assignment meets every constraint; `reasons` say which papers or reviewers and why."""

    def __init__(self, reasons: list[Reason]):
        self.reasons = reasons
        super().__init__(" ".join(str(reason) for reason in reasons))


@dataclass(frozen=True, eq=False)
class Problem:
    """One edition's assignment question, indexed [paper, reviewer]; arrays are validated and converted."""

    affinity: np.ndarray  # float (papers, reviewers), higher is better, typically in [0, 1]
    allowed: np.ndarray  # bool, same shape: False for a conflict or a hard exclusion (language...)
    reviews_needed: np.ndarray  # int per paper: reviewers in total, locked ones included
    capacity: np.ndarray  # int per reviewer: maximum load in total, locked papers included
    minimum: np.ndarray | None = None  # int per reviewer: minimum load in total, or None
    locked: frozenset[tuple[int, int]] = frozenset()  # (paper, reviewer) pairs a chair fixed
    extra_cost: int = 0  # cost units added for each paper beyond a reviewer's first, times its rank
    paper_labels: Sequence[str] | None = None  # for messages; the paper's index otherwise
    reviewer_labels: Sequence[str] | None = None
    paper_language: Sequence[str | None] | None = None  # for explanations only: `allowed` rules
    reviewer_languages: Sequence[Collection[str]] | None = None

    def __post_init__(self) -> None:
        affinity = np.asarray(self.affinity)
        if affinity.ndim != 2 or not (
            np.issubdtype(affinity.dtype, np.floating) or np.issubdtype(affinity.dtype, np.integer)
        ):
            raise ValueError("affinity must be a 2-D array of numbers (papers x reviewers).")
        n_papers, n_reviewers = affinity.shape
        if affinity.size:
            low, high = float(affinity.min()), float(affinity.max())
            # Keeps every cost finite and inside int32, below NO_ARC.
            if not (np.isfinite(low) and np.isfinite(high) and low > -1e6 and high < 1e6):
                raise ValueError("affinity must be finite and within ±1,000,000.")
        allowed = np.asarray(self.allowed)
        if allowed.shape != affinity.shape or allowed.dtype != bool:
            raise ValueError(f"allowed must be a bool array of shape {affinity.shape}.")
        needed = _counts(self.reviews_needed, n_papers, "reviews_needed")
        capacity = _counts(self.capacity, n_reviewers, "capacity")
        minimum = None if self.minimum is None else _counts(self.minimum, n_reviewers, "minimum")
        if minimum is not None and (minimum > capacity).any():
            raise ValueError("A reviewer's minimum cannot exceed their capacity.")
        locked = frozenset((int(p), int(r)) for p, r in self.locked)
        if any(not (0 <= p < n_papers and 0 <= r < n_reviewers) for p, r in locked):
            raise ValueError("A locked pair names a paper or reviewer out of range.")
        if int(self.extra_cost) != self.extra_cost or self.extra_cost < 0:
            raise ValueError("extra_cost must be a non-negative integer.")
        for name, size in [
            ("paper_labels", n_papers),
            ("reviewer_labels", n_reviewers),
            ("paper_language", n_papers),
            ("reviewer_languages", n_reviewers),
        ]:
            value = getattr(self, name)
            if value is not None and len(value) != size:
                raise ValueError(f"{name} must have {size} entries.")
        for name, value in [
            ("affinity", affinity),
            ("allowed", allowed),
            ("reviews_needed", needed),
            ("capacity", capacity),
            ("minimum", minimum),
            ("locked", locked),
            ("extra_cost", int(self.extra_cost)),
        ]:
            object.__setattr__(self, name, value)

    @property
    def shape(self) -> tuple[int, int]:
        return self.affinity.shape

    def paper_label(self, p: int) -> str:
        return str(self.paper_labels[p]) if self.paper_labels is not None else str(p)

    def reviewer_label(self, r: int) -> str:
        return str(self.reviewer_labels[r]) if self.reviewer_labels is not None else str(r)


@dataclass(frozen=True, eq=False)
class Solution:
    pairs: list[tuple[int, int]]  # every assigned (paper, reviewer), locked pairs included, sorted
    objective: int  # total integer cost as the solver saw it (see the module docstring); lower is better
    affinity_total: float  # sum of the affinities of `pairs`
    warnings: list[Reason] = field(default_factory=list)  # locked pairs kept against a rule
    rounds: int = 1  # solves needed until no left-out pair could improve the result


def integer_costs(problem: Problem) -> np.ndarray:
    """int32 (papers, reviewers): round((1 - affinity) * SCALE), SCALE = 1000; NO_ARC where not allowed."""
    costs = np.empty(problem.shape, dtype=np.int32)
    for rows in _row_chunks(*problem.shape):
        scaled = np.rint((1.0 - problem.affinity[rows].astype(np.float64)) * SCALE)
        costs[rows] = np.where(problem.allowed[rows], scaled, NO_ARC)
    return costs


def solve(
    problem: Problem, *, candidates: int | None = None, reviewer_candidates: int = REVIEWER_CANDIDATES
) -> Solution:
    """The assignment of least total cost meeting every constraint, or Infeasible with its reasons.

    Locked pairs always stay, even against `allowed` or a cap (the chair decided): `warnings` says so.
    `candidates` is how many of its cheapest pairs each paper starts with, `reviewer_candidates` how
    many times their places left each reviewer does; they change the speed, never the result (see the
    module docstring).
    """
    if (candidates is not None and candidates < 1) or reviewer_candidates < 0:
        raise ValueError("candidates must be at least 1, reviewer_candidates at least 0.")
    net = _Network.of(problem)
    n_papers, n_reviewers = problem.shape
    if net.need.sum() > net.cap.sum() or net.low.sum() > net.need.sum():
        raise Infeasible(_reasons_or_fallback(problem))

    costs = integer_costs(problem)
    if candidates is None:
        candidates = max(8, 4 * int(net.need.max(initial=0)))
    in_graph = _cheapest_pairs(costs, net.usable, candidates, reviewer_candidates * net.cap)

    # Arcs that do not depend on the pairs: reviewer -> sink (load), and the two overflows.
    sink = n_papers + n_reviewers
    e = problem.extra_cost
    if e:
        # One unit arc per further paper k = low..cap-1 of each reviewer, costing (locked + k) * e; no
        # more than the papers they may get, so that a huge cap does not mean a huge number of arcs.
        spare = np.maximum(np.minimum(net.cap, net.usable.sum(axis=0)) - net.low, 0)
        owner = np.repeat(np.arange(n_reviewers), spare)
        rank = np.arange(owner.size) - np.repeat(np.cumsum(spare) - spare, spare) + np.repeat(net.low, spare)
        load_tails, load_caps = n_papers + owner, np.ones(owner.size, dtype=np.int64)
        load_costs = (net.locked_load[owner] + rank) * e
    else:
        has_room = np.flatnonzero(net.cap > net.low)
        load_tails, load_caps = n_papers + has_room, (net.cap - net.low)[has_room]
        load_costs = np.zeros(has_room.size, dtype=np.int64)
    short_papers = np.flatnonzero(net.need > 0)
    low_reviewers = np.flatnonzero(net.low > 0)
    fixed_tails = np.concatenate([load_tails, short_papers, np.full(low_reviewers.size, sink)])
    fixed_heads = np.concatenate(
        [np.full(load_tails.size + short_papers.size, sink), n_papers + low_reviewers]
    )
    fixed_caps = np.concatenate([load_caps, net.need[short_papers], net.low[low_reviewers]])
    n_nodes = n_papers + n_reviewers + 1
    largest = max(1, _largest_abs_cost(costs, net.usable), int(np.abs(load_costs).max(initial=0)))
    overflow = (n_nodes + 1) * largest + 1
    fixed_costs = np.concatenate([load_costs, np.full(short_papers.size + low_reviewers.size, overflow)])
    n_overflow = short_papers.size + low_reviewers.size
    supplies = np.concatenate([net.need, -net.low, [net.low.sum() - net.need.sum()]])

    rounds = 0
    while True:
        rounds += 1
        pair_papers, pair_reviewers = np.nonzero(in_graph)
        tails = np.concatenate([pair_papers, fixed_tails])
        heads = np.concatenate([n_papers + pair_reviewers, fixed_heads])
        caps = np.concatenate([np.ones(pair_papers.size, dtype=np.int64), fixed_caps])
        unit_costs = np.concatenate([costs[pair_papers, pair_reviewers].astype(np.int64), fixed_costs])
        flows, cost = _min_cost_flow(n_nodes, tails, heads, caps, unit_costs, supplies)
        potentials = _potentials(n_nodes, tails, heads, caps, unit_costs, flows)
        if not _add_improving_pairs(costs, net.usable, in_graph, potentials, n_papers, candidates):
            break

    if flows[flows.size - n_overflow :].any():
        raise Infeasible(_reasons_or_fallback(problem))
    chosen = flows[: pair_papers.size] > 0
    new_papers, new_reviewers = pair_papers[chosen], pair_reviewers[chosen]
    pairs = sorted(
        [(int(p), int(r)) for p, r in zip(new_papers, new_reviewers, strict=True)] + list(problem.locked)
    )
    solution = _solution(problem, pairs, warnings=_locked_warnings(problem, net), rounds=rounds)

    # What the solver minimised differs from the objective by constants only: a check on the model.
    locked_cost = int(_pair_costs(problem, net.locked_papers, net.locked_reviewers).sum())
    lows = [int(x) for x in net.low]
    constant = locked_cost + e * sum(
        load * (load - 1) // 2 + low * load + low * (low - 1) // 2
        for load, low in zip(net.locked_load.tolist(), lows, strict=True)
    )
    if cost + constant != solution.objective:
        raise RuntimeError(
            f"Solver cost {cost} + {constant} differs from the objective {solution.objective}."
        )
    return solution


def refill(problem: Problem, kept: set[tuple[int, int]], declined: set[tuple[int, int]]) -> Solution:
    """After declines: keep every `kept` pair, never offer a `declined` one again, fill only the gaps.

    `problem` is the edition as first solved (total needs and caps); papers whose kept reviewers already
    suffice get nobody new. Minimum loads still apply: pass a problem without them if they should not.
    """
    kept = {(int(p), int(r)) for p, r in kept}
    declined = {(int(p), int(r)) for p, r in declined}
    if kept & declined:
        raise ValueError("A pair cannot be both kept and declined.")
    allowed = problem.allowed.copy()
    if declined:
        papers, reviewers = np.array(sorted(declined)).T
        allowed[papers, reviewers] = False
    return solve(dataclasses.replace(problem, allowed=allowed, locked=(problem.locked | kept) - declined))


def explain_infeasible(problem: Problem) -> list[Reason]:
    """Why no assignment exists, in sentences naming the blocked papers or reviewers; [] if none found.

    In order: papers with too few reviewers allowed at all, too few places in total, groups of papers
    that compete for too few places (by language when languages are given), then minimum loads.
    The papers named in a group are exactly those that some best effort could leave short of reviews.
    """
    net = _Network.of(problem)
    reasons = []
    possible = net.locked_per_paper + net.usable.sum(axis=1)  # `usable` already needs a place left
    too_few = np.flatnonzero(possible < problem.reviews_needed)
    for p in too_few.tolist():
        count, needed = int(possible[p]), int(problem.reviews_needed[p])
        template = (
            "Paper {paper}: no reviewer may review it ({needed} needed)."
            if count == 0
            else _plural(
                count,
                "Paper {paper}: only 1 reviewer may review it ({needed} needed).",
                "Paper {paper}: only {count} reviewers may review it ({needed} needed).",
            )
        )
        reasons.append(
            Reason(template, {"paper": problem.paper_label(p), "count": count, "needed": needed}, [p])
        )

    needed, places = int(net.need.sum()), int(net.cap.sum())
    if needed > places:
        reasons.append(
            Reason(
                "The papers need {needed} more reviews, but the reviewers have only {places} places left.",
                {"needed": needed, "places": places},
            )
        )
    else:
        reasons += _coverage_reasons(problem, net, explained=set(too_few.tolist()))

    if net.low.any():
        low = int(net.low.sum())
        if low > needed:
            reasons.append(
                Reason(
                    "The minimum loads add up to {minimum} more papers, but the papers need only {needed} "
                    "more reviews.",
                    {"minimum": low, "needed": needed},
                )
            )
        else:
            reasons += _minimum_reasons(problem, net)
    return reasons


# --- the network ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Network:
    """What is left to decide once locked pairs are taken: net needs, places and minimums."""

    locked_papers: np.ndarray
    locked_reviewers: np.ndarray
    locked_per_paper: np.ndarray
    locked_load: np.ndarray
    need: np.ndarray  # reviews still missing per paper
    cap: np.ndarray  # places left per reviewer
    low: np.ndarray  # papers still owed to each reviewer's minimum
    usable: np.ndarray  # bool: allowed, unlocked, the paper needs more and the reviewer has room

    @classmethod
    def of(cls, problem: Problem) -> _Network:
        n_papers, n_reviewers = problem.shape
        locked = np.array(sorted(problem.locked), dtype=np.int64).reshape(-1, 2)
        papers, reviewers = locked[:, 0], locked[:, 1]
        per_paper = np.bincount(papers, minlength=n_papers)
        load = np.bincount(reviewers, minlength=n_reviewers)
        need = np.maximum(problem.reviews_needed - per_paper, 0)
        cap = np.maximum(problem.capacity - load, 0)
        minimum = problem.minimum if problem.minimum is not None else np.zeros(n_reviewers, dtype=np.int64)
        low = np.maximum(minimum - load, 0)
        usable = problem.allowed & (need > 0)[:, None]
        usable &= (cap > 0)[None, :]
        usable[papers, reviewers] = False
        return cls(papers, reviewers, per_paper, load, need, cap, low, usable)


def _min_cost_flow(n_nodes, tails, heads, caps, unit_costs, supplies) -> tuple[np.ndarray, int]:
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), unit_costs.astype(np.int64)
    )
    flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies.astype(np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        # The overflow arcs make every network we build solvable: anything else is a bug or a range error.
        raise RuntimeError(f"The min-cost flow solver stopped with status {status}.")
    return np.asarray(flow.flows(np.asarray(arcs, dtype=np.int32))), int(flow.optimal_cost())


def _potentials(n_nodes, tails, heads, caps, unit_costs, flows) -> np.ndarray:
    """Shortest distances in the residual graph from a virtual root joined to every node at cost 0.

    For every residual arc u -> v, d(v) <= d(u) + c: the reduced costs are non-negative. Bellman-Ford,
    vectorised, relaxing only the arcs of nodes whose distance just changed; it stops as soon as nothing
    changes (scipy's runs all n passes). More than n passes would mean a negative cycle, which the
    residual graph of an optimal flow cannot have.
    """
    forward, backward = flows < caps, flows > 0
    u = np.concatenate([tails[forward], heads[backward]])
    v = np.concatenate([heads[forward], tails[backward]])
    w = np.concatenate([unit_costs[forward], -unit_costs[backward]])
    order = np.argsort(u, kind="stable")
    u, v, w = u[order], v[order], w[order]
    first_arc = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=n_nodes))])
    distance = np.zeros(n_nodes, dtype=np.int64)  # the root's arcs, already relaxed
    changed = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        starts, counts = first_arc[changed], first_arc[changed + 1] - first_arc[changed]
        total = int(counts.sum())
        if not total:
            return distance
        # Indices of every arc leaving a changed node, without a Python loop.
        arcs = np.arange(total) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
        reached = distance[u[arcs]] + w[arcs]
        better = reached < distance[v[arcs]]
        if not better.any():
            return distance
        targets = v[arcs][better]
        np.minimum.at(distance, targets, reached[better])
        changed = np.unique(targets)
    raise RuntimeError("The residual graph has a negative cycle: the flow solver's result is not optimal.")


def _cheapest_pairs(
    costs: np.ndarray, usable: np.ndarray, per_paper: int, per_reviewer: np.ndarray
) -> np.ndarray:
    """bool (papers, reviewers): each paper's `per_paper` and each reviewer's `per_reviewer[r]` cheapest
    usable pairs. Both sides matter: when some reviewers are everyone's favourites, the others must
    already have enough papers to take, or the pricing would add them a few per round."""
    n_papers, n_reviewers = costs.shape
    chosen = np.zeros(costs.shape, dtype=bool)
    if per_paper >= n_reviewers:
        chosen |= usable
        return chosen
    for rows in _row_chunks(n_papers, n_reviewers):
        block = np.where(usable[rows], costs[rows], NO_ARC)
        best = np.argpartition(block, per_paper - 1, axis=1)[:, :per_paper]
        chosen[np.arange(rows.start, rows.stop)[:, None], best] = True
    step = max(1, CHUNK_CELLS // max(1, n_papers))
    for start in range(0, n_reviewers, step):
        columns = slice(start, min(start + step, n_reviewers))
        wanted = np.minimum(per_reviewer[columns], n_papers)
        most = int(wanted.max(initial=0))
        if not most:
            continue
        block = np.where(usable[:, columns], costs[:, columns], NO_ARC)
        best = (
            np.argpartition(block, most - 1, axis=0)[:most] if most < n_papers else np.indices(block.shape)[0]
        )
        best = np.take_along_axis(best, np.argsort(np.take_along_axis(block, best, axis=0), axis=0), axis=0)
        take = np.arange(most)[:, None] < wanted[None, :]
        reviewer_index = np.broadcast_to(np.arange(columns.start, columns.stop)[None, :], best.shape)
        chosen[best[take], reviewer_index[take]] = True
    chosen &= usable
    return chosen


def _add_improving_pairs(costs, usable, in_graph, potentials, n_papers, per_paper) -> int:
    """Add left-out pairs of negative reduced cost (at most `per_paper` a paper); return how many."""
    paper_d, reviewer_d = potentials[:n_papers], potentials[n_papers:]
    n_reviewers = costs.shape[1]
    added = 0
    for rows in _row_chunks(*costs.shape):
        reduced = costs[rows].astype(np.int64)
        reduced += paper_d[rows, None]
        reduced -= reviewer_d[None, :n_reviewers]
        improving = usable[rows] & ~in_graph[rows] & (reduced < 0)
        hit = np.flatnonzero(improving.any(axis=1))
        if not hit.size:
            continue
        improving, reduced = improving[hit], np.where(improving[hit], reduced[hit], 0)
        if per_paper < n_reviewers:
            best = np.argpartition(reduced, per_paper - 1, axis=1)[:, :per_paper]
            keep = np.take_along_axis(improving, best, axis=1)
            paper_index = np.broadcast_to(hit[:, None], best.shape)[keep]
            reviewer_index = best[keep]
        else:
            paper_index, reviewer_index = np.nonzero(improving)
            paper_index = hit[paper_index]
        in_graph[rows.start + paper_index, reviewer_index] = True
        added += paper_index.size
    return added


def _largest_abs_cost(costs: np.ndarray, usable: np.ndarray) -> int:
    largest = 0
    for rows in _row_chunks(*costs.shape):
        block = np.abs(costs[rows].astype(np.int64))
        largest = max(largest, int(block.max(initial=0, where=usable[rows])))
    return largest


def _pair_costs(problem: Problem, papers: np.ndarray, reviewers: np.ndarray) -> np.ndarray:
    # The same rounding as `integer_costs`, for any pairs, allowed or not (a locked pair keeps its cost).
    affinity = problem.affinity[papers, reviewers].astype(np.float64)
    return np.rint((1.0 - affinity) * SCALE).astype(np.int64)


def _solution(
    problem: Problem, pairs: list[tuple[int, int]], *, warnings: list[Reason], rounds: int
) -> Solution:
    index = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    papers, reviewers = index[:, 0], index[:, 1]
    loads = np.bincount(reviewers, minlength=problem.shape[1])
    objective = int(_pair_costs(problem, papers, reviewers).sum())
    objective += problem.extra_cost * int((loads * (loads - 1) // 2).sum())
    affinity_total = float(problem.affinity[papers, reviewers].astype(np.float64).sum())
    return Solution(pairs, objective, affinity_total, warnings, rounds)


def _locked_warnings(problem: Problem, net: _Network) -> list[Reason]:
    warnings = []
    for p, r in sorted(problem.locked):
        if not problem.allowed[p, r]:
            warnings.append(
                Reason(
                    "Paper {paper} keeps reviewer {reviewer}, who is excluded from it, because the chair "
                    "locked the pair.",
                    {"paper": problem.paper_label(p), "reviewer": problem.reviewer_label(r)},
                    [p],
                    [r],
                )
            )
    for r in np.flatnonzero(net.locked_load > problem.capacity).tolist():
        warnings.append(
            Reason(
                "Reviewer {reviewer} keeps {locked} locked papers, more than their cap of {cap}.",
                {
                    "reviewer": problem.reviewer_label(r),
                    "locked": int(net.locked_load[r]),
                    "cap": int(problem.capacity[r]),
                },
                reviewers=[r],
            )
        )
    return warnings


# --- explanations ---------------------------------------------------------------------------------


def _reasons_or_fallback(problem: Problem) -> list[Reason]:
    return explain_infeasible(problem) or [
        Reason(
            "The papers' reviews, the reviewers' caps and their minimum loads cannot all be met at once: "
            "lower some minimums or raise some caps.",
            {},
        )
    ]


def _max_flow(net: _Network, paper_caps: np.ndarray, reviewer_caps: np.ndarray):
    """A maximum flow source -> paper -> reviewer -> sink over the usable pairs.

    Returns per-paper inflow, the pairs used (bool matrix) and per-reviewer outflow.
    """
    n_papers, n_reviewers = net.usable.shape
    source, sink = n_papers + n_reviewers, n_papers + n_reviewers + 1
    pair_papers, pair_reviewers = np.nonzero(net.usable)
    tails = np.concatenate([np.full(n_papers, source), pair_papers, n_papers + np.arange(n_reviewers)])
    heads = np.concatenate([np.arange(n_papers), n_papers + pair_reviewers, np.full(n_reviewers, sink)])
    caps = np.concatenate([paper_caps, np.ones(pair_papers.size, dtype=np.int64), reviewer_caps])
    flow = max_flow.SimpleMaxFlow()
    arcs = flow.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64))
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("The max-flow solver failed.")
    flows = np.asarray(flow.flows(np.asarray(arcs, dtype=np.int32)))
    used = np.zeros(net.usable.shape, dtype=bool)
    on = flows[n_papers : n_papers + pair_papers.size] > 0
    used[pair_papers[on], pair_reviewers[on]] = True
    return flows[:n_papers], used, flows[n_papers + pair_papers.size :]


def _coverage_reasons(problem: Problem, net: _Network, explained: set[int]) -> list[Reason]:
    covered, used, _ = _max_flow(net, net.need, net.cap)
    short = covered < net.need
    if not short.any():
        return []
    # Papers reachable from a short one in the residual graph: each could be the one left short.
    free = net.usable & ~used
    papers, reviewers = short.copy(), np.zeros(problem.shape[1], dtype=bool)
    frontier = short
    while frontier.any():
        new_reviewers = free[frontier].any(axis=0) & ~reviewers
        reviewers |= new_reviewers
        frontier = used[:, new_reviewers].any(axis=1) & ~papers
        papers |= frontier

    reasons = []
    blocked = set(np.flatnonzero(papers).tolist())
    if problem.paper_language is not None and problem.reviewer_languages is not None:
        languages = sorted({problem.paper_language[p] for p in blocked} - {None})
        for language in languages:
            group = sorted(p for p in blocked if problem.paper_language[p] == language)
            readers = [r for r, spoken in enumerate(problem.reviewer_languages) if language in spoken]
            places = int(net.cap[readers].sum())
            needed = int(net.need[group].sum())
            if needed <= places:
                continue  # not the language alone: left to the group sentence below
            reasons.append(
                Reason(
                    _plural(
                        len(readers),
                        "These {count} {language} papers need {needed} more reviews, but only 1 reviewer "
                        "reads {language}, with {places} places left: {papers}.",
                        "These {count} {language} papers need {needed} more reviews, but only {readers} "
                        "reviewers read {language}, with {places} places left: {papers}.",
                    ),
                    {
                        "count": len(group),
                        "language": language,
                        "needed": needed,
                        "readers": len(readers),
                        "places": places,
                        "papers": _names(problem.paper_label, group),
                    },
                    group,
                    readers,
                )
            )
            explained |= set(group)

    if not blocked - explained:
        return reasons
    # The rest, one sentence per group of papers that compete for the same reviewers.
    paper_ids, reviewer_ids = np.flatnonzero(papers), np.flatnonzero(reviewers)
    links = (net.usable | used)[np.ix_(paper_ids, reviewer_ids)]
    link_papers, link_reviewers = np.nonzero(links)
    size = paper_ids.size + reviewer_ids.size
    graph = sp.coo_matrix(
        (np.ones(link_papers.size), (link_papers, paper_ids.size + link_reviewers)), shape=(size, size)
    )
    _, component = connected_components(graph, directed=False)
    for label in np.unique(component[: paper_ids.size]):
        group = paper_ids[component[: paper_ids.size] == label].tolist()
        if set(group) <= explained:
            continue
        group_reviewers = reviewer_ids[component[paper_ids.size :] == label]
        # What the group can get: the places of its full reviewers, and once each, the others it uses.
        outside = (used[group] & ~reviewers[None, :]).sum()
        places = int(net.cap[group_reviewers].sum() + outside)
        may = int((net.usable[group] | used[group]).any(axis=0).sum())
        reasons.append(
            Reason(
                _plural(
                    len(group),
                    "Paper {papers} needs {needed} more reviews, but the {reviewers} reviewers who may "
                    "review it can give it only {places}.",
                    "These {count} papers need {needed} more reviews, but the {reviewers} reviewers who may "
                    "review them can give them only {places}: {papers}.",
                ),
                {
                    "count": len(group),
                    "needed": int(net.need[group].sum()),
                    "reviewers": may,
                    "places": places,
                    "papers": _names(problem.paper_label, group),
                },
                group,
                group_reviewers.tolist(),
            )
        )
    return reasons


def _minimum_reasons(problem: Problem, net: _Network) -> list[Reason]:
    reasons = []
    # Papers that may still go to each reviewer, whatever their cap (cap >= minimum).
    open_papers = problem.allowed & (net.need > 0)[:, None]
    open_papers[net.locked_papers, net.locked_reviewers] = False
    possible = open_papers.sum(axis=0)
    alone = np.flatnonzero(possible < net.low)
    for r in alone.tolist():
        reasons.append(
            Reason(
                "Reviewer {reviewer} must review {minimum} more papers, but only {count} may be given "
                "to them.",
                {
                    "reviewer": problem.reviewer_label(r),
                    "minimum": int(net.low[r]),
                    "count": int(possible[r]),
                },
                reviewers=[r],
            )
        )
    if alone.size:
        return reasons
    _, used, given = _max_flow(net, net.need, net.low)
    short = given < net.low
    if not short.any():
        return reasons
    # Reviewers that can reach a short one in the residual graph: they compete for the same papers.
    free = net.usable & ~used
    reviewers, papers = short.copy(), np.zeros(problem.shape[0], dtype=bool)
    frontier = short
    while frontier.any():
        new_papers = free[:, frontier].any(axis=1) & ~papers
        papers |= new_papers
        frontier = used[new_papers].any(axis=0) & ~reviewers
        reviewers |= frontier
    group = np.flatnonzero(reviewers).tolist()
    available = int(net.need[papers].sum() + (used[~papers][:, reviewers]).sum())
    reasons.append(
        Reason(
            "These {count} reviewers must review {minimum} more papers together, but the papers they may "
            "review can give them only {available}: {reviewers}.",
            {
                "count": len(group),
                "minimum": int(net.low[group].sum()),
                "available": available,
                "reviewers": _names(problem.reviewer_label, group),
            },
            np.flatnonzero(papers).tolist(),
            group,
        )
    )
    return reasons


# --- small helpers ----------------------------------------------------------------------------------


def _counts(values, size: int, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != (size,) or (array.size and not np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"{name} must be {size} integers.")
    array = array.astype(np.int64)
    if (array < 0).any():
        raise ValueError(f"{name} cannot be negative.")
    return array


def _row_chunks(n_rows: int, n_columns: int) -> Iterator[slice]:
    step = max(1, CHUNK_CELLS // max(1, n_columns))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _names(label, indices: Sequence[int]) -> str:
    names = [label(i) for i in indices[:LISTED]]
    if len(indices) > LISTED:
        names.append(f"and {len(indices) - LISTED} more")
    return ", ".join(names)
