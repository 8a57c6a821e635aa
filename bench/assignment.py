"""How long automatic assignment takes for large calls: the affinities, then the exact solve.

Run: `make bench` (or `python -m bench.assignment`). No database: random editions built in memory.
Each size runs its two phases in fresh processes, so that each peak memory (the process's maximum
resident set) is that phase's own: the affinity phase builds the edition and scores it, the solve
phase loads the scores and solves.
"""

import multiprocessing
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

# 3 reviews a paper; places about 1.2 x the reviews; about 2 % of pairs in conflict. The largest
# size must solve within 60 s and 6 GB on a 2-core machine (a plain dense min-cost flow of that size
# was seen at about 25 s and 4 GB).
SIZES = [(1_000, 400), (3_000, 1_000), (10_000, 3_000)]
REVIEWS = 3
PLACES_PER_REVIEW = 1.2
CONFLICT_SHARE = 0.02
BIDS_PER_REVIEWER = 30
TARGET_SECONDS, TARGET_BYTES = 60.0, 6 * 1024**3
TOPICS, WORDS_PER_TOPIC, COMMON_WORDS = 60, 80, 400
LANGUAGES = {"en": 0.8, "fr": 0.15, "es": 0.05}  # papers' languages
READS = {"fr": 0.3, "es": 0.15}  # share of reviewers reading each language besides English
BID_VALUES = ["eager", "willing", "not_willing"]


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def _words(rng: np.random.Generator, topics: np.ndarray, count: int) -> str:
    # Mostly words of the document's topics, some common words: text similarity follows the topics.
    topical = rng.integers(WORDS_PER_TOPIC, size=count) + WORDS_PER_TOPIC * rng.choice(topics, size=count)
    words = [f"t{w // WORDS_PER_TOPIC}w{w % WORDS_PER_TOPIC}" for w in topical]
    words += [f"common{w}" for w in rng.integers(COMMON_WORDS, size=count // 3)]
    return " ".join(words)


def build_edition(n_papers: int, n_reviewers: int, seed: int):
    rng = np.random.default_rng(seed)
    paper_topics = [rng.choice(TOPICS, size=rng.integers(1, 4), replace=False) for _ in range(n_papers)]
    reviewer_topics = [rng.choice(TOPICS, size=rng.integers(2, 6), replace=False) for _ in range(n_reviewers)]
    paper_language = rng.choice(list(LANGUAGES), size=n_papers, p=list(LANGUAGES.values()))
    reviewer_languages = [
        frozenset({"en"} | {language for language, share in READS.items() if rng.random() < share})
        for _ in range(n_reviewers)
    ]
    bids = {}
    for r in range(n_reviewers):
        for p in rng.choice(n_papers, size=BIDS_PER_REVIEWER, replace=False):
            bids[int(p), r] = BID_VALUES[int(rng.integers(len(BID_VALUES)))]
    conflicts = rng.random((n_papers, n_reviewers)) < CONFLICT_SHARE
    for p, r in zip(*np.nonzero(conflicts), strict=True):
        bids[int(p), int(r)] = "conflict"
    return {
        "paper_topics": paper_topics,
        "reviewer_topics": reviewer_topics,
        "paper_language": paper_language,
        "reviewer_languages": reviewer_languages,
        "bids": bids,
        "conflicts": conflicts,
        "rng": rng,
    }


def affinity_phase(n_papers: int, n_reviewers: int, seed: int, out: str) -> dict:
    """Build an edition, time its affinity matrix, save scores and exclusions for the solve phase."""
    edition = build_edition(n_papers, n_reviewers, seed)
    rng = edition["rng"]
    try:
        from reviews.affinity import PaperText, ReviewerText, affinity_matrix
    except ImportError:
        affinity_matrix = None
    if affinity_matrix is not None:
        papers = [
            PaperText(
                key=p,
                title=_words(rng, topics, 8),
                abstract=_words(rng, topics, 90),
                topics=frozenset(int(t) for t in topics),
                language=str(edition["paper_language"][p]),
            )
            for p, topics in enumerate(edition["paper_topics"])
        ]
        reviewers = [
            ReviewerText(
                key=r,
                expertise=_words(rng, topics, 40),
                papers=[(_words(rng, topics, 8), _words(rng, topics, 90)) for _ in range(2)],
                topics=frozenset(int(t) for t in topics),
                languages=edition["reviewer_languages"][r],
            )
            for r, topics in enumerate(edition["reviewer_topics"])
        ]
        started = time.perf_counter()
        result = affinity_matrix(papers, reviewers, edition["bids"])
        seconds = time.perf_counter() - started
        score, allowed, how = result.score, result.allowed, "reviews.affinity.affinity_matrix (TF-IDF)"
    else:
        started = time.perf_counter()
        score, allowed = _stand_in(edition, n_papers, n_reviewers)
        seconds = time.perf_counter() - started
        how = "a numpy stand-in (reviews.affinity is missing)"
    np.savez(out, score=score, allowed=allowed)
    return {"seconds": seconds, "peak": peak_bytes(), "how": how}


def _stand_in(edition: dict, n_papers: int, n_reviewers: int) -> tuple[np.ndarray, np.ndarray]:
    rng = edition["rng"]
    paper_topics = np.zeros((n_papers, TOPICS), dtype=np.float32)
    for p, topics in enumerate(edition["paper_topics"]):
        paper_topics[p, topics] = 1.0 / len(topics)
    reviewer_topics = np.zeros((TOPICS, n_reviewers), dtype=np.float32)
    for r, topics in enumerate(edition["reviewer_topics"]):
        reviewer_topics[topics, r] = 1.0
    bid = np.full((n_papers, n_reviewers), 0.3, dtype=np.float32)
    for (p, r), value in edition["bids"].items():
        bid[p, r] = {"eager": 1.0, "willing": 0.6, "not_willing": 0.0, "conflict": 0.0}[value]
    text = rng.random((n_papers, n_reviewers), dtype=np.float32)
    score = 0.4 * bid + 0.3 * (paper_topics @ reviewer_topics) + 0.3 * text
    reads = np.array([[lang in spoken for spoken in edition["reviewer_languages"]] for lang in LANGUAGES])
    allowed = reads[np.searchsorted(list(LANGUAGES), edition["paper_language"])] & ~edition["conflicts"]
    return score, allowed


def solve_phase(n_papers: int, n_reviewers: int, seed: int, path: str) -> dict:
    """Load the scores, give reviewers caps (about 1.2 x the reviews in all), time the exact solve."""
    from reviews.assignment import Problem, solve

    saved = np.load(path)
    rng = np.random.default_rng(seed + 1)
    places = int(PLACES_PER_REVIEW * REVIEWS * n_papers)
    # Uneven caps: most reviewers take about the same, a few much more or much less.
    capacity = 1 + rng.multinomial(places - n_reviewers, rng.dirichlet(np.full(n_reviewers, 20.0)))
    problem = Problem(
        affinity=saved["score"],
        allowed=saved["allowed"],
        reviews_needed=np.full(n_papers, REVIEWS),
        capacity=capacity,
    )
    started = time.perf_counter()
    solution = solve(problem)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak": peak_bytes(),
        "objective": solution.objective,
        "rounds": solution.rounds,
        "mean_affinity": solution.affinity_total / len(solution.pairs),
    }


def main() -> int:
    context = multiprocessing.get_context("spawn")  # fresh processes: each peak is the phase's own
    rows, missed, how = [], False, ""
    with tempfile.TemporaryDirectory() as scratch:
        for index, (n_papers, n_reviewers) in enumerate(SIZES):
            path = str(Path(scratch) / f"edition-{index}.npz")
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                affinity = pool.submit(affinity_phase, n_papers, n_reviewers, index, path).result()
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                solved = pool.submit(solve_phase, n_papers, n_reviewers, index, path).result()
            how = affinity["how"]
            target = ""
            if (n_papers, n_reviewers) == SIZES[-1]:
                ok = solved["seconds"] <= TARGET_SECONDS and solved["peak"] <= TARGET_BYTES
                missed |= not ok
                target = (
                    f"≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_BYTES / 1024**3:.0f} GB  {'ok' if ok else 'MISSED'}"
                )
            rows.append((n_papers, n_reviewers, affinity, solved, target))
            Path(path).unlink()

    print(
        f"assignment: {REVIEWS} reviews a paper, places {PLACES_PER_REVIEW} x reviews, "
        f"~{CONFLICT_SHARE:.0%} conflicts; affinities by {how}"
    )
    print(
        f"  {'papers x reviewers':<20}{'affinity s':>11}{'peak MB':>9}{'solve s':>9}{'peak MB':>9}"
        f"{'rounds':>7}{'objective':>12}{'mean aff.':>10}   target"
    )
    for n_papers, n_reviewers, affinity, solved, target in rows:
        print(
            f"  {f'{n_papers:,} x {n_reviewers:,}':<20}{affinity['seconds']:>11.1f}"
            f"{affinity['peak'] / 1024**2:>9.0f}{solved['seconds']:>9.1f}{solved['peak'] / 1024**2:>9.0f}"
            f"{solved['rounds']:>7}{solved['objective']:>12,}{solved['mean_affinity']:>10.3f}   {target}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
