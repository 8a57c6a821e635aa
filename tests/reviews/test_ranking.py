"""The committee's ranking table: statistics, filters, sorting, charts, CSV, conflicts, query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conference.models import Role, Topic
from reviews import decisions
from reviews.models import Assignment, Review, ReviewSettings
from reviews.review_forms import review_form_for
from reviews.scoring import paper_stats, review_score
from submissions.models import Conflict, Submission
from tests.factories import EditionFactory, SeriesFactory, SubmissionFactory, UserFactory

URL = "/calls/sse/2028/committee/ranking/"


@pytest.fixture
def edition(db):
    return EditionFactory(series=SeriesFactory(slug="sse"), year=2028, reviews_per_paper=3)


def person(edition, kind, **kwargs):
    user = UserFactory(**kwargs)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


@pytest.fixture
def chair(edition):
    return person(edition, Role.Kind.CHAIR)


def reviewed(paper, points: list[int], *, reviewers=None, confidence=3):
    """Submitted reviews of `paper`, one per point, each scoring every criterion with that point."""
    criteria = review_form_for(paper.edition).criteria.all()
    for n, point in enumerate(points):
        reviewer = reviewers[n] if reviewers else UserFactory()
        assignment = Assignment.objects.create(submission=paper, reviewer=reviewer)
        Review.objects.create(assignment=assignment, state="submitted", confidence=confidence,
                              scores={str(c.pk): point for c in criteria})  # fmt: skip


class Criterion:
    def __init__(self, pk, points, weight=1.0):
        self.pk, self.scale, self.weight = pk, [{"en": str(p)} for p in range(points)], weight


def test_a_reviews_score_rescales_every_criterion_to_one_to_five():
    criteria = [Criterion(1, 5), Criterion(2, 3, weight=3.0)]
    assert review_score({"1": 5, "2": 1}, criteria) == pytest.approx((5 * 1 + 1 * 3) / 4)
    assert review_score({"1": 2, "2": 2}, criteria) == pytest.approx((2 + 3 * 3) / 4)  # 2 of 3 is the middle
    assert review_score({}, criteria) is None


def test_paper_statistics_and_the_disagreement_flag():
    class R:
        def __init__(self, point, confidence, state="submitted"):
            self.scores, self.confidence, self.state = {"1": point}, confidence, state

    criteria = [Criterion(1, 5, weight=2.0)]
    stats = paper_stats(
        [R(1, 1), R(5, 3), R(4, 1), R(2, 5, state="draft")], criteria, expected=3, threshold=1.5
    )
    assert (stats.done, stats.expected, stats.median, stats.spread) == (3, 3, 4, 4)
    assert stats.mean == pytest.approx(10 / 3) and stats.confident_mean == pytest.approx((1 + 15 + 4) / 5)
    assert stats.weighted_total == pytest.approx(2 * 10 / 3)
    assert stats.disagreement
    assert not paper_stats([R(4, 1), R(5, 1)], criteria, expected=3, threshold=1.5).disagreement


def test_the_committee_sees_papers_ranked_with_charts_and_a_chair_in_conflict_does_not_see_one(
    client, edition, chair
):
    member = person(edition, Role.Kind.COMMITTEE)
    top = SubmissionFactory(edition=edition, title="Strong paper")
    low = SubmissionFactory(edition=edition, title="Weak paper")
    hidden = SubmissionFactory(edition=edition, title="Chair's conflict")
    reviewed(top, [5, 5, 4])
    reviewed(low, [1, 2])
    reviewed(hidden, [3])
    Conflict.objects.create(submission=hidden, user=chair, kind=Conflict.Kind.ADDED_BY_CHAIR)
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert page.index("Strong paper") < page.index("Chair&#x27;s conflict") < page.index("Weak paper")
    assert 'role="img" aria-label="Scores: 4.0, 5.0, 5.0"' in page
    assert "2/3" in page  # reviews done of expected
    client.force_login(chair)
    page = client.get(URL).content.decode()
    assert "Chair&#x27;s conflict" not in page and "Strong paper" in page
    ascending = client.get(URL + "?sort=mean").content.decode()
    assert ascending.index("Weak paper") < ascending.index("Strong paper")


def test_filters_by_track_topic_and_flag(client, edition, chair):
    sdg = Topic.objects.sdgs().first()
    agree = SubmissionFactory(edition=edition, title="Agreeing reviews", topics=1)
    disagree = SubmissionFactory(edition=edition, title="Split reviews")
    reviewed(agree, [4, 4, 4])
    reviewed(disagree, [1, 5])
    client.force_login(chair)
    flagged = client.get(URL + "?flag=disagreement").content.decode()
    assert "Split reviews" in flagged and "Agreeing reviews" not in flagged
    by_topic = client.get(URL + f"?topic={sdg.pk}").content.decode()
    assert "Agreeing reviews" in by_topic and "Split reviews" not in by_topic
    incomplete = client.get(URL + "?flag=incomplete").content.decode()
    assert "Split reviews" in incomplete and "Agreeing reviews" not in incomplete
    assert "No paper matches" in client.get(URL + "?track=999999").content.decode()


def test_calibrated_scores_show_only_when_the_edition_asks(client, edition, chair):
    reviewed(SubmissionFactory(edition=edition), [3, 4])
    client.force_login(chair)
    assert "Calibrated" not in client.get(URL).content.decode()
    ReviewSettings.objects.filter(edition=edition).update(calibration=True)
    page = client.get(URL).content.decode()
    assert "Calibrated" in page and "allows for reviewers who score everyone high or low" in page


def test_the_csv_has_a_row_per_paper_in_the_ranking_order(client, edition, chair):
    for title, points in [("Middle", [3, 3]), ("Best", [5]), ("Worst", [1])]:
        reviewed(SubmissionFactory(edition=edition, title=title), points)
    client.force_login(chair)
    response = client.get("/calls/sse/2028/committee/ranking.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Number", "Title", "Track"]
    assert [row[1] for row in rows[1:]] == ["Best", "Middle", "Worst"]


def test_reviewers_and_authors_cannot_open_the_ranking(client, edition):
    for kind in (Role.Kind.REVIEWER,):
        client.force_login(person(edition, kind))
        assert client.get(URL).status_code == 403
    client.force_login(UserFactory())
    assert client.get("/calls/sse/2028/committee/ranking.csv").status_code == 403


def test_a_chair_decides_ticked_papers_in_bulk_from_the_table(client, edition, chair):
    papers = SubmissionFactory.create_batch(2, edition=edition, state=Submission.State.UNDER_REVIEW)
    poster = next(o for o in decisions.outcomes_for(edition) if o.name["en"] == "Accept as poster")
    client.force_login(chair)
    data = {"paper": [p.pk for p in papers], "outcome": poster.pk, "note": "Posters session",
            **{f"version-{p.pk}": 0 for p in papers}}  # fmt: skip
    response = client.post(URL, data, follow=True)
    assert "2 decisions recorded" in response.content.decode()
    assert all(p.decision.outcome == poster for p in Submission.objects.filter(pk__in=[p.pk for p in papers]))
    again = client.post(URL, data, follow=True).content.decode()  # the same page, sent twice
    assert again.count("decided by someone else") == 2


def many_papers(edition, count: int, reviewers: list):
    """`count` papers with 1 to 6 submitted reviews each, two topics, some decided and voted on."""
    criteria = list(review_form_for(edition).criteria.all())
    start = Submission.objects.filter(edition=edition).count()
    papers = Submission.objects.bulk_create(
        SubmissionFactory.build(edition=edition, number=start + n + 1, track=None, submission_type=None)
        for n in range(count)
    )
    sdgs = list(Topic.objects.sdgs()[:2])
    Submission.topics.through.objects.bulk_create(
        Submission.topics.through(submission=p, topic=t) for p in papers for t in sdgs
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(submission=p, reviewer=reviewers[k])
        for n, p in enumerate(papers)
        for k in range(1 + n % 6)
    )
    Review.objects.bulk_create(
        Review(
            assignment=a, state="submitted", confidence=3, scores={str(c.pk): 1 + a.pk % 5 for c in criteria}
        )
        for a in assignments
    )
    return papers


def test_the_ranking_costs_the_same_queries_for_200_and_2000_papers(client, edition, chair):
    reviewers = [person(edition, Role.Kind.REVIEWER) for _ in range(6)]
    ReviewSettings.objects.update_or_create(edition=edition, defaults={"calibration": True})
    many_papers(edition, 200, reviewers)
    member = person(edition, Role.Kind.COMMITTEE)
    decisions.vote(submission=Submission.objects.first(), by=member, value="accept")
    client.force_login(chair)
    client.get(URL)  # the outcomes and review form are made on the first visit
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    many_papers(edition, 1800, reviewers)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL + "?sort=-calibrated&page=3").status_code == 200
    assert len(few) == len(many), [q["sql"][:90] for q in many.captured_queries]


def test_a_title_that_looks_like_a_formula_stays_text_in_the_csv(client, edition, chair):
    reviewed(SubmissionFactory(edition=edition, title='=HYPERLINK("http://evil.example","x")'), [3])
    client.force_login(chair)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/calls/sse/2028/committee/ranking.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[1][1].startswith("'=HYPERLINK")


def test_a_filter_never_changes_a_papers_calibrated_score(client, edition, chair):
    from conference.models import Track

    ReviewSettings.objects.update_or_create(edition=edition, defaults={"calibration": True})
    care = Track.objects.create(edition=edition, name={"en": "Care"})
    people = [UserFactory() for _ in range(3)]
    for n in range(6):
        paper = SubmissionFactory(edition=edition, title=f"Paper {n}", track=care if n < 3 else None)
        reviewed(paper, [1 + (n + k) % 5 for k in range(3)], reviewers=people)
    client.force_login(chair)

    def calibrated(query):
        response = client.get("/calls/sse/2028/committee/ranking.csv" + query)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        column = rows[0].index("Calibrated")
        return {row[1]: row[column] for row in rows[1:]}

    everything, in_track = calibrated(""), calibrated(f"?track={care.pk}")
    assert set(in_track) == {"Paper 0", "Paper 1", "Paper 2"}
    assert all(in_track[title] == everything[title] for title in in_track)
