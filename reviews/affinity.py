"""Affinity between reviewers and papers: how well each reviewer fits each paper, and why.

Pure numpy/scikit-learn on plain data: the review app turns submissions, profiles and bids into
`PaperText`, `ReviewerText` and a bid mapping, calls `affinity_matrix` and hands the result to the
assignment solver and to the chair's preview (`Affinity.reason`).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer, strip_accents_unicode


@dataclass(frozen=True)
class Weights:
    """How much the bid, the topics and the text count; edition settings, normalised by their sum.

    The bid weighs most on its own (0.4): it is the only signal that the reviewer wants the paper, and
    willing reviewers review sooner and better. Topics and text (0.3 each) are two noisy estimates of
    the same thing, expertise, so together (0.6) they still outweigh the bid: an eager reviewer who
    knows nothing of the field does not beat a willing expert.
    """

    bid: float = 0.4
    topics: float = 0.3
    text: float = 0.3

    def __post_init__(self) -> None:
        parts = (self.bid, self.topics, self.text)
        if any(not np.isfinite(w) or w < 0 for w in parts) or sum(parts) <= 0:
            raise ValueError(f"Weights must be non-negative with a positive sum, not {parts}.")


# What each bid is worth. Unbid (None) sits between willing and not willing: silence is not a refusal.
# "conflict" has no value on purpose: it is an exclusion, never a low score that a solver could still pick.
BID_VALUES: dict[str | None, float] = {"eager": 1.0, "willing": 0.6, None: 0.3, "not_willing": 0.0}
CONFLICT = "conflict"
BIDS = frozenset(BID_VALUES) - {None} | {CONFLICT}

# scikit-learn only ships English stop words and papers come in English, French and Spanish. Without
# these, "les", "des", "para"... are rare in a mostly English corpus, get a high IDF and make two French
# abstracts look alike for their grammar alone. Words that are also English content words in our
# fields ("ai", "car", "ci", "fin", "plus", "sea", "son", "tan", "ton") are left out on purpose.
FRENCH_STOP_WORDS = """
    au aux avec ce ceci cela celle celles celui ceux ces cet cette chaque chez comme comment dans
    depuis des donc dont du elle elles en entre est et été étaient était être eux fait faire il ils je
    la le les leur leurs lors lorsque lui mais même mes moins mon ne ni nos notre nous où ou par parmi
    pas peu peut peuvent pour pourquoi puis quand que quel quelle quelles quels qui quoi sa sans se
    selon ses si sont sous sur ta tes toi tous tout toute toutes très tu un une vers vos votre vous
    afin ainsi alors aussi autre autres avoir avons bien cas déjà encore ici là leurs nos ont sera
    seront soit telle tels
"""
SPANISH_STOP_WORDS = """
    al ante aquel aquella así aunque bajo bien cada como cómo con contra cual cuales cuando cuya cuyo
    de del desde donde durante el ella ellas ellos en entre era eran es esa esas ese eso esos esta
    está están estas este esto estos fue fueron ha han hasta hay haber había hacia la las le les lo
    los más me mediante menos mi mientras mismo misma mismos muy ni no nos nuestra nuestras nuestro
    nuestros otra otras otro otros para pero poco por porque puede pueden que qué quien quienes se
    según ser si sí sido sin sino sobre su sus también tampoco tanto te tiene tienen toda todas todo
    todos tras un una unas uno unos ya
"""


def _stop_words() -> list[str]:
    # Stop words must go through the same accent stripping as the text, or "été" would never match "ete".
    words = f"{FRENCH_STOP_WORDS} {SPANISH_STOP_WORDS}".split()
    return sorted(ENGLISH_STOP_WORDS | {strip_accents_unicode(w.lower()) for w in words})


STOP_WORDS = _stop_words()

# Rows of the (papers x reviewer documents) similarity block held at once: bounded memory at any size.
CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class PaperText:
    key: Hashable
    title: str
    abstract: str
    topics: frozenset[int]
    language: str


@dataclass(frozen=True)
class ReviewerText:
    key: Hashable
    expertise: str
    papers: Sequence[tuple[str, str]]  # (title, abstract) of the reviewer's own papers
    topics: frozenset[int]
    languages: frozenset[str]  # an empty set reads nothing: the app must fill in at least one language


@dataclass
class Affinity:
    """Scores and their parts, indexed [paper, reviewer] in the order given to `affinity_matrix`."""

    score: np.ndarray  # float32 in [0, 1]; 0 wherever `allowed` is False
    allowed: np.ndarray  # bool: False for a language the reviewer does not read, or a "conflict" bid
    text: np.ndarray  # float32 cosine, best over the reviewer's expertise and papers
    topics: np.ndarray  # float32 share of the paper's topics that the reviewer lists
    bid: np.ndarray  # float32 BID_VALUES of the bid (0 for a conflict)
    best_match: np.ndarray  # int: index into the reviewer's papers; -1 when the expertise or nothing matched
    bids: dict[tuple[Hashable, Hashable], str]  # the bids this was computed from, for `reason`

    def reason(self, p: int, r: int, papers: Sequence[PaperText], reviewers: Sequence[ReviewerText]) -> dict:
        """Why reviewer `r` fits paper `p`, for the chair's preview; pass the same sequences as before."""
        paper, reviewer = papers[p], reviewers[r]
        bid = self.bids.get((paper.key, reviewer.key))
        match = int(self.best_match[p, r])
        if bid == CONFLICT:
            excluded = "conflict"
        elif paper.language not in reviewer.languages:
            excluded = "language"
        else:
            excluded = None
        return {
            "bid": bid,
            "shared_topics": sorted(paper.topics & reviewer.topics),
            "most_similar": reviewer.papers[match][0] if match >= 0 else None,
            "text": float(self.text[p, r]),
            "score": float(self.score[p, r]),
            "excluded": excluded,
        }


def affinity_matrix(
    papers: Sequence[PaperText],
    reviewers: Sequence[ReviewerText],
    bids: Mapping[tuple[Hashable, Hashable], str],
    weights: Weights = Weights(),  # frozen, so one shared default is safe
    *,
    chunk_size: int | None = None,
) -> Affinity:
    """Score every (paper, reviewer) pair in [0, 1]: the weighted mean of bid, topics and text.

    `bids` maps (paper key, reviewer key) to "eager", "willing", "not_willing" or "conflict"; a missing
    pair is neutral, a bid on a paper or reviewer not passed in is ignored, an unknown value raises
    ValueError. A conflict or a paper language the reviewer does not read makes the pair not allowed,
    with score 0; its parts are still computed so that the preview can show them.
    Text similarity depends on the whole corpus (IDF): scores from different runs are not comparable.
    Memory beyond the (papers x reviewers) results is bounded by processing `chunk_size` papers at once.
    """
    paper_index = _index(papers, "paper")
    reviewer_index = _index(reviewers, "reviewer")
    n_papers, n_reviewers = len(papers), len(reviewers)
    shape = (n_papers, n_reviewers)

    bid = np.full(shape, BID_VALUES[None], dtype=np.float32)
    allowed = _reads_language(papers, reviewers)
    kept_bids = {}
    for (paper_key, reviewer_key), value in bids.items():
        if value not in BIDS:
            raise ValueError(f"Unknown bid {value!r} for paper {paper_key!r}, reviewer {reviewer_key!r}.")
        p, r = paper_index.get(paper_key), reviewer_index.get(reviewer_key)
        if p is None or r is None:
            continue  # e.g. a withdrawn paper, or a reviewer who left the committee
        kept_bids[paper_key, reviewer_key] = value
        if value == CONFLICT:
            bid[p, r] = 0.0
            allowed[p, r] = False
        else:
            bid[p, r] = BID_VALUES[value]

    paper_vectors, doc_vectors, doc_starts = _tfidf(papers, reviewers)
    doc_sizes = np.diff(np.append(doc_starts, doc_vectors.shape[0]))
    # Position of each document inside its reviewer's group: 0 is the expertise, k is their paper k-1.
    doc_position = (np.arange(doc_vectors.shape[0]) - np.repeat(doc_starts, doc_sizes)).astype(np.int32)
    not_best = np.int32(np.iinfo(np.int32).max)
    match_dtype = np.int16 if doc_sizes.max(initial=0) <= np.iinfo(np.int16).max else np.int32
    docs_t = doc_vectors.T.tocsr()
    paper_topics, reviewer_topics_t = _topic_incidence(papers, reviewers)
    paper_topic_counts = np.asarray(paper_topics.sum(axis=1), dtype=np.float32).ravel()

    text = np.zeros(shape, dtype=np.float32)
    topics = np.zeros(shape, dtype=np.float32)
    score = np.zeros(shape, dtype=np.float32)
    best_match = np.full(shape, -1, dtype=match_dtype)
    total = weights.bid + weights.topics + weights.text
    if chunk_size is None:
        chunk_size = max(1, CHUNK_BYTES // (4 * max(1, doc_vectors.shape[0])))
    elif chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}.")

    for start in range(0, n_papers if n_reviewers else 0, chunk_size):
        rows = slice(start, min(start + chunk_size, n_papers))
        similarity = (paper_vectors[rows] @ docs_t).toarray()
        best = np.maximum.reduceat(similarity, doc_starts, axis=1)
        # First document reaching the reviewer's best, without a Python loop over reviewers.
        is_best = similarity == np.repeat(best, doc_sizes, axis=1)
        del similarity
        first = np.minimum.reduceat(np.where(is_best, doc_position, not_best), doc_starts, axis=1)
        del is_best
        # Position 0 (the expertise) and no shared word at all both map to -1.
        best_match[rows] = np.where(best > 0, first - 1, -1)
        text[rows] = np.clip(best, 0.0, 1.0)  # cosines of float32 unit vectors can overshoot 1 by an ulp

        covered = (paper_topics[rows] @ reviewer_topics_t).toarray().astype(np.float32)
        # Share of the paper's topics the reviewer covers, not Jaccard: a reviewer with broad expertise
        # must not score lower on a paper squarely inside it. A paper without topics scores 0 for all.
        counts = paper_topic_counts[rows, None]
        topics[rows] = np.divide(covered, counts, out=np.zeros_like(covered), where=counts > 0)

        weighted = weights.bid * bid[rows] + weights.topics * topics[rows] + weights.text * text[rows]
        score[rows] = np.where(allowed[rows], np.clip(weighted / total, 0.0, 1.0), 0.0)

    return Affinity(
        score=score, allowed=allowed, text=text, topics=topics, bid=bid, best_match=best_match, bids=kept_bids
    )


def _index(items: Sequence[PaperText] | Sequence[ReviewerText], what: str) -> dict[Hashable, int]:
    index = {item.key: i for i, item in enumerate(items)}
    if len(index) != len(items):
        raise ValueError(f"Each {what} key must be unique.")
    return index


def _reads_language(papers: Sequence[PaperText], reviewers: Sequence[ReviewerText]) -> np.ndarray:
    languages = sorted({paper.language for paper in papers})
    column = {language: i for i, language in enumerate(languages)}
    reads = np.zeros((len(reviewers), len(languages)), dtype=bool)
    for r, reviewer in enumerate(reviewers):
        for language in reviewer.languages:
            if language in column:
                reads[r, column[language]] = True
    paper_language = np.array([column[paper.language] for paper in papers], dtype=np.intp)
    return reads[:, paper_language].T.copy()


def _tfidf(
    papers: Sequence[PaperText], reviewers: Sequence[ReviewerText]
) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """L2-normalised TF-IDF rows for the papers and for every reviewer document, grouped by reviewer.

    Each reviewer's group starts with their expertise, then their papers in order, so every group has at
    least one row (which `reduceat` needs) and a row's position in it gives `best_match`.
    """
    paper_docs = [f"{paper.title}\n{paper.abstract}" for paper in papers]
    reviewer_docs, starts = [], []
    for reviewer in reviewers:
        starts.append(len(reviewer_docs))
        reviewer_docs.append(reviewer.expertise)
        reviewer_docs.extend(f"{title}\n{abstract}" for title, abstract in reviewer.papers)
    vectorizer = TfidfVectorizer(
        # Accents stripped: French and Spanish authors type "economie" as often as "économie".
        strip_accents="unicode",
        stop_words=STOP_WORDS,
        # A word repeated ten times in an abstract is not ten times the topic.
        sublinear_tf=True,
        min_df=1,
        dtype=np.float32,
    )
    try:
        vectors = vectorizer.fit_transform(paper_docs + reviewer_docs).tocsr()
    except ValueError as error:
        if "empty vocabulary" not in str(error):
            raise
        # No text, or only stop words, anywhere: no text similarity at all.
        vectors = sp.csr_matrix((len(paper_docs) + len(reviewer_docs), 1), dtype=np.float32)
    n = len(paper_docs)
    return vectors[:n], vectors[n:], np.array(starts, dtype=np.intp)


def _topic_incidence(
    papers: Sequence[PaperText], reviewers: Sequence[ReviewerText]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """(papers x topics) and (topics x reviewers) 0/1 matrices, whose product counts shared topics."""
    column: dict[Hashable, int] = {}
    for item in (*papers, *reviewers):
        for topic in item.topics:
            column.setdefault(topic, len(column))

    def incidence(items: Sequence[PaperText] | Sequence[ReviewerText]) -> sp.csr_matrix:
        rows = [i for i, item in enumerate(items) for _ in item.topics]
        cols = [column[topic] for item in items for topic in item.topics]
        data = np.ones(len(rows), dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(items), len(column)))

    return incidence(papers), incidence(reviewers).T.tocsr()
