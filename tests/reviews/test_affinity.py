"""Affinity between reviewers and papers: plain data in, arrays out; no database."""

import itertools
import random

import numpy as np
import pytest

from reviews.affinity import BID_VALUES, PaperText, ReviewerText, Weights, affinity_matrix

BANKING = PaperText(
    key="banking",
    title="Cooperative banks and credit to small firms",
    abstract="We study lending by cooperative banks to small firms after the financial crisis, "
    "using loan-level data on credit, interest rates and bank governance.",
    topics=frozenset({1, 2}),
    language="en",
)
MEALS = PaperText(
    key="meals",
    title="School meals and pupil attendance",
    abstract="Free school meals raise attendance in primary schools; we evaluate a canteen programme "
    "with data on pupils, nutrition and absences.",
    topics=frozenset({3}),
    language="en",
)
BANQUES = PaperText(
    key="banques",
    title="Les banques coopératives et le crédit",
    abstract="Nous étudions le crédit des banques coopératives aux petites entreprises.",
    topics=frozenset({1}),
    language="fr",
)


def banker(key="banker", *, languages=frozenset({"en"}), topics=frozenset({1})):
    return ReviewerText(
        key=key,
        expertise="Economic history of Latin America",
        papers=[
            ("Migration and remittances", "Remittances sent home by migrant workers in Latin America."),
            (
                "Governance of cooperative banks",
                "How cooperative banks govern lending and credit to members and small firms.",
            ),
        ],
        topics=topics,
        languages=languages,
    )


def twin_reviewers(n):
    """`n` reviewers identical but for their key, so that only the bid can tell them apart."""
    return [banker(f"r{i}") for i in range(n)]


def test_reviewer_of_cooperative_banks_scores_higher_on_banking_than_on_school_meals():
    affinity = affinity_matrix([BANKING, MEALS], [banker()], bids={})
    assert affinity.text[0, 0] > affinity.text[1, 0]
    assert affinity.score[0, 0] > affinity.score[1, 0]


def test_best_match_names_the_reviewers_paper_on_the_same_subject():
    papers, reviewers = [BANKING, MEALS], [banker()]
    affinity = affinity_matrix(papers, reviewers, bids={})
    assert affinity.best_match[0, 0] == 1
    assert affinity.reason(0, 0, papers, reviewers)["most_similar"] == "Governance of cooperative banks"


def test_best_match_is_minus_one_when_the_expertise_text_matches_best():
    reviewer = ReviewerText(
        key="nutritionist",
        expertise="School meals, canteens and pupil nutrition",
        papers=[("Cooperative banks", "Lending by cooperative banks.")],
        topics=frozenset(),
        languages=frozenset({"en"}),
    )
    papers, reviewers = [MEALS], [reviewer]
    affinity = affinity_matrix(papers, reviewers, bids={})
    assert affinity.best_match[0, 0] == -1
    assert affinity.reason(0, 0, papers, reviewers)["most_similar"] is None


def test_no_shared_word_means_no_text_and_no_best_match():
    reviewer = ReviewerText(
        key="astronomer",
        expertise="Exoplanets",
        papers=[("Transits", "Photometry of exoplanet transits.")],
        topics=frozenset(),
        languages=frozenset({"en"}),
    )
    affinity = affinity_matrix([MEALS], [reviewer], bids={})
    assert affinity.text[0, 0] == 0
    assert affinity.best_match[0, 0] == -1


def test_eager_beats_willing_beats_unbid_beats_not_willing():
    reviewers = twin_reviewers(4)
    bids = {("banking", "r0"): "eager", ("banking", "r1"): "willing", ("banking", "r3"): "not_willing"}
    affinity = affinity_matrix([BANKING], reviewers, bids)
    score = affinity.score[0]
    assert score[0] > score[1] > score[2] > score[3]
    assert affinity.bid[0].tolist() == pytest.approx(
        [BID_VALUES["eager"], BID_VALUES["willing"], BID_VALUES[None], BID_VALUES["not_willing"]]
    )


def test_french_paper_is_not_allowed_for_a_reviewer_reading_only_english_and_spanish():
    papers = [BANKING, BANQUES]
    reviewers = [
        banker(languages=frozenset({"en", "es"})),
        banker("bilingual", languages=frozenset({"en", "fr"})),
    ]
    affinity = affinity_matrix(papers, reviewers, bids={})
    assert affinity.allowed.tolist() == [[True, True], [False, True]]
    assert affinity.score[1, 0] == 0
    assert affinity.score[1, 1] > 0
    assert affinity.reason(1, 0, papers, reviewers)["excluded"] == "language"


def test_conflict_bid_excludes_the_pair_whatever_the_fit():
    papers, reviewers = [BANKING, MEALS], [banker()]
    affinity = affinity_matrix(papers, reviewers, bids={("banking", "banker"): "conflict"})
    assert not affinity.allowed[0, 0]
    assert affinity.allowed[1, 0]
    assert affinity.score[0, 0] == 0
    reason = affinity.reason(0, 0, papers, reviewers)
    assert reason["bid"] == "conflict"
    assert reason["excluded"] == "conflict"


def test_unknown_bid_is_refused_rather_than_read_as_neutral():
    with pytest.raises(ValueError, match="Unknown bid"):
        affinity_matrix([BANKING], [banker()], bids={("banking", "banker"): "keen"})


def test_bids_on_papers_not_in_the_run_are_ignored():
    affinity = affinity_matrix([BANKING], [banker()], bids={("withdrawn", "banker"): "eager"})
    assert affinity.bid[0, 0] == BID_VALUES[None]


def test_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="unique"):
        affinity_matrix([BANKING, BANKING], [banker()], bids={})


def test_reason_names_the_bid_the_shared_topics_and_the_most_similar_paper():
    papers, reviewers = [BANKING], [banker(topics=frozenset({2, 1, 9}))]
    affinity = affinity_matrix(papers, reviewers, bids={("banking", "banker"): "eager"})
    reason = affinity.reason(0, 0, papers, reviewers)
    assert reason["bid"] == "eager"
    assert reason["shared_topics"] == [1, 2]
    assert reason["most_similar"] == "Governance of cooperative banks"
    assert reason["text"] == pytest.approx(float(affinity.text[0, 0]))
    assert reason["excluded"] is None


def test_unbid_pair_reads_as_no_bid_in_the_reason():
    papers, reviewers = [BANKING], [banker()]
    assert affinity_matrix(papers, reviewers, bids={}).reason(0, 0, papers, reviewers)["bid"] is None


def test_topics_measure_how_much_of_the_paper_the_reviewer_covers():
    broad = banker("broad", topics=frozenset({1, 2, 3, 4, 5, 6}))
    narrow = banker("narrow", topics=frozenset({1}))
    affinity = affinity_matrix([BANKING, MEALS], [broad, narrow], bids={})
    assert affinity.topics[0].tolist() == [1.0, 0.5]  # all of {1, 2}; half of it
    assert affinity.topics[1].tolist() == [1.0, 0.0]


def test_weights_change_the_ranking():
    # The eager reviewer knows nothing of banking; the unbid one wrote on cooperative banks.
    outsider = ReviewerText(
        key="outsider",
        expertise="Medieval poetry",
        papers=[("Troubadours", "Songs of the troubadours in Occitan.")],
        topics=frozenset(),
        languages=frozenset({"en"}),
    )
    reviewers, bids = [outsider, banker()], {("banking", "outsider"): "eager"}
    by_bid = affinity_matrix([BANKING], reviewers, bids, Weights(bid=1.0, topics=0.0, text=0.0))
    by_expertise = affinity_matrix([BANKING], reviewers, bids, Weights(bid=0.0, topics=0.5, text=0.5))
    assert by_bid.score[0, 0] > by_bid.score[0, 1]
    assert by_expertise.score[0, 0] < by_expertise.score[0, 1]


def test_weights_are_normalised_so_scaling_them_changes_nothing():
    papers, reviewers = [BANKING, MEALS], [banker()]
    once = affinity_matrix(papers, reviewers, {}, Weights(bid=0.4, topics=0.3, text=0.3))
    tenfold = affinity_matrix(papers, reviewers, {}, Weights(bid=4, topics=3, text=3))
    np.testing.assert_allclose(once.score, tenfold.score, rtol=1e-6)


def test_negative_or_all_zero_weights_are_refused():
    with pytest.raises(ValueError):
        Weights(bid=-0.1)
    with pytest.raises(ValueError):
        Weights(bid=0, topics=0, text=0)


def test_scores_and_parts_stay_within_zero_and_one():
    papers, reviewers, bids = synthetic(120, 40, seed=3)
    affinity = affinity_matrix(papers, reviewers, bids)
    for part in (affinity.score, affinity.text, affinity.topics, affinity.bid):
        assert part.dtype == np.float32
        assert part.min() >= 0
        assert part.max() <= 1
    assert affinity.score[~affinity.allowed].max(initial=0) == 0


def test_a_chunked_run_gives_the_same_result_as_an_unchunked_one():
    papers, reviewers, bids = synthetic(200, 60, seed=5)
    whole = affinity_matrix(papers, reviewers, bids, chunk_size=len(papers))
    chunked = affinity_matrix(papers, reviewers, bids, chunk_size=7)
    for name in ("score", "allowed", "text", "topics", "bid", "best_match"):
        np.testing.assert_array_equal(getattr(chunked, name), getattr(whole, name), err_msg=name)


def test_chunk_size_below_one_is_refused():
    with pytest.raises(ValueError, match="chunk_size"):
        affinity_matrix([BANKING], [banker()], bids={}, chunk_size=0)


def test_empty_inputs_give_empty_matrices():
    affinity = affinity_matrix([], [banker()], bids={})
    assert affinity.score.shape == (0, 1)
    affinity = affinity_matrix([BANKING], [], bids={})
    assert affinity.score.shape == (1, 0)


def test_a_large_call_runs_in_one_go():
    # 2,000 papers x 600 reviewers (3 papers each): kept here so a slow path shows up in the unit suite.
    papers, reviewers, bids = synthetic(2000, 600, seed=11)
    affinity = affinity_matrix(papers, reviewers, bids)
    assert affinity.score.shape == (2000, 600)
    assert affinity.best_match.max() == 2
    assert (affinity.text > 0).mean() > 0.5


def synthetic(n_papers, n_reviewers, *, seed, papers_per_reviewer=3, words=120):
    """A call with Zipf-distributed words, 40 topics, mostly English papers and ~20 bids a reviewer."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(20_000)]
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))

    def text(n):
        return " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=n))

    def topics():
        return frozenset(rng.sample(range(40), rng.randint(0, 4)))

    papers = [
        PaperText(n, text(10), text(words), topics(), rng.choices(["en", "fr", "es"], [8, 1, 1])[0])
        for n in range(n_papers)
    ]
    reviewers = [
        ReviewerText(
            f"r{n}",
            text(20),
            [(text(10), text(words)) for _ in range(papers_per_reviewer)],
            topics(),
            frozenset({"en"} | set(rng.sample(["fr", "es"], rng.randint(0, 2)))),
        )
        for n in range(n_reviewers)
    ]
    choices = ["eager", "willing", "not_willing", "conflict"]
    bids = {
        (rng.randrange(n_papers), reviewer.key): rng.choices(choices, [3, 5, 2, 1])[0]
        for reviewer in reviewers
        for _ in range(20)
    }
    return papers, reviewers, bids
