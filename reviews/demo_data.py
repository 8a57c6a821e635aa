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
