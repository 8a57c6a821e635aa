"""Demo review set-up for the open 2028 call: reviewer profiles, bids, and the conflicts they imply."""

import random

from accounts.demo import register_demo

from .conflicts import detect_conflicts
from .models import Bid, ReviewerPaper, ReviewerProfile, ReviewSettings
from .services import biddable

EXPERTISE = [
    ("Cooperative finance and credit unions in West Africa.", ["en", "fr"],
     [("Credit unions and small firms in Senegal", "Lending by credit unions to informal firms.")]),
    ("Measuring the social economy: satellite accounts and labour statistics.", ["en", "es"],
     [("A satellite account for the social economy", "Methods for national statistical offices.")]),
    ("Community care, gender and unpaid work in Latin America.", ["es", "en"],
     [("Cuidados comunitarios en Colombia", "Organizaciones comunitarias de cuidado y trabajo.")]),
    ("Local economic development and municipal SSE policy.", ["en", "fr", "es"],
     [("Cities and the social economy", "Municipal strategies for the SSE in twelve cities.")]),
    ("Platform cooperatives, digital labour and decent work.", ["en"],
     [("Riders who own their platform", "Worker-owned delivery platforms in Europe.")]),
]  # fmt: skip


@register_demo(order=60)
def seed_review() -> list[tuple[str, str]]:
    from conference.models import Edition, Role, Topic

    edition = Edition.objects.filter(series__slug="sse-knowledge-hub", year=2028).first()
    if edition is None or ReviewerProfile.objects.filter(edition=edition).exists():
        return []
    rng = random.Random(5)
    ReviewSettings.for_edition(edition)
    topics = list(Topic.objects.for_edition(edition))
    reviewers = [
        role.user
        for role in Role.objects.filter(edition=edition, kind=Role.Kind.REVIEWER).select_related("user")
    ]
    for index, reviewer in enumerate(reviewers):
        expertise, languages, papers = EXPERTISE[index % len(EXPERTISE)]
        profile = ReviewerProfile.objects.create(
            edition=edition,
            user=reviewer,
            expertise=expertise,
            languages=languages,
            max_load=rng.randint(4, 8),
        )
        profile.topics.set(rng.sample(topics, k=3))
        for title, abstract in papers:
            ReviewerPaper.objects.create(profile=profile, title=title, abstract=abstract)
    detect_conflicts(edition=edition)
    _paper_manager(edition)
    # Most reviewers have bid on some papers; giulia (reviewer@euricse.eu) left hers for you to try.
    for reviewer in reviewers:
        if reviewer.email == "reviewer@euricse.eu":
            continue
        papers = list(biddable(edition=edition, user=reviewer))
        for paper in rng.sample(papers, k=min(len(papers), 8)):
            value = rng.choice([Bid.Value.EAGER, Bid.Value.WILLING, Bid.Value.WILLING, Bid.Value.NOT_WILLING])
            Bid.objects.create(submission=paper, reviewer=reviewer, value=value)
    return []


def _paper_manager(edition) -> None:
    """committee@ilo.org manages the paper the chair co-wrote a report with its authors on."""
    from accounts.models import User
    from submissions.models import Submission

    from .conflicts import add_conflict

    manager = User.objects.filter(email="committee@ilo.org").first()
    chair = User.objects.filter(email="chair@unrisd.org").first()
    paper = (
        Submission.objects.filter(edition=edition, state=Submission.State.SUBMITTED)
        .order_by("number")
        .first()
    )
    if not (manager and chair and paper):
        return
    edition.paper_manager = manager
    edition.save(update_fields=["paper_manager"])
    add_conflict(submission=paper, user=chair, reason="Co-wrote a report with the authors in 2024.", by=chair)


COMMENTS = [
    "A clear question and careful fieldwork. Say more on how the cases were chosen.",
    "The policy messages are useful; the literature review could be shorter.",
    "The data are thin for the claims made in section 4. A table of the sample would help.",
    "Well written and relevant to the SDGs. The conclusion repeats the introduction.",
    "Interesting, but the method is not described well enough to be repeated.",
]


@register_demo(order=65)
def seed_decisions() -> list[tuple[str, str]]:
    """The finished 2025 call, reviewed and decided: the ranking, votes and sent decisions to look at.
    Its two papers still under review have reviews and votes but no decision: decide and send them."""
    from accounts.models import User
    from conference.models import Edition, Role
    from submissions.models import Submission

    from . import decisions
    from .models import Assignment, Decision, Review, Vote
    from .review_forms import review_form_for

    edition = Edition.objects.filter(series__slug="sse-knowledge-hub", year=2025).first()
    if edition is None or Decision.objects.filter(submission__edition=edition).exists():
        return []
    rng = random.Random(25)
    chair = User.objects.get(email="chair@unrisd.org")
    committee = [role.user for role in Role.objects.filter(edition__year=2028, kind=Role.Kind.COMMITTEE)]
    reviewers = [role.user for role in Role.objects.filter(edition__year=2028, kind=Role.Kind.REVIEWER)]
    Role.objects.get_or_create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    for person in committee:
        Role.objects.get_or_create(edition=edition, user=person, kind=Role.Kind.COMMITTEE)
    for person in reviewers:
        Role.objects.get_or_create(edition=edition, user=person, kind=Role.Kind.REVIEWER)
    ReviewSettings.objects.update_or_create(edition=edition, defaults={"calibration": True})
    criteria = list(review_form_for(edition).criteria.all())
    accept, poster, reject = decisions.outcomes_for(edition)
    leniency = {person.pk: rng.choice([-1, 0, 0, 1]) for person in reviewers}  # some score high, some low
    reviewed = [
        s for s in Submission.objects.filter(edition=edition).exclude(state=Submission.State.WITHDRAWN)
    ]
    for paper in reviewed:
        accepted = paper.state not in (Submission.State.REJECTED, Submission.State.UNDER_REVIEW)
        quality = 4 if accepted else (2 if paper.state == Submission.State.REJECTED else 3)
        for reviewer in rng.sample(reviewers, k=3):
            assignment = Assignment.objects.create(submission=paper, reviewer=reviewer, assigned_by=chair)
            habit = quality + leniency[reviewer.pk]
            scores = {str(c.pk): max(1, min(5, habit + rng.choice([-1, 0, 0, 1]))) for c in criteria}
            advice = ["accept", "weak_accept"] if accepted else ["weak_reject", "reject"]
            Review.objects.create(
                assignment=assignment, state=Review.State.SUBMITTED, submitted_at=edition.review_deadline,
                scores=scores, confidence=rng.randint(2, 5), recommendation=rng.choice(advice),
                comments_to_authors=rng.choice(COMMENTS), confidential_comments="",
            )  # fmt: skip
        for member in committee[:3]:
            Vote.objects.create(
                submission=paper,
                voter=member,
                value="accept" if accepted else rng.choice(["reject", "abstain"]),
            )
        if paper.state == Submission.State.UNDER_REVIEW:
            continue  # left for the chair to decide and send
        outcome = reject if paper.state == Submission.State.REJECTED else rng.choice([accept, accept, poster])
        Decision.objects.create(
            submission=paper, outcome=outcome, decided_by=chair, decided_at=edition.review_deadline,
            released_at=edition.notification_date,
        )  # fmt: skip
    return []
