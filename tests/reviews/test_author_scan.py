"""What authors must never learn, checked the hard way: a paper reviewed, discussed, voted on and
decided with distinctive words in every confidential place, then every URL the resolver knows opened
as its author (and as a co-author), and every mail they got, searched for those words.

A new URL is scanned by construction; only the admin is left out, with its reason.
"""

import pytest
from django.utils import timezone

from conference.models import Edition, Role
from notifications.models import OutboxMessage
from reviews import decisions, release, services
from reviews.models import Assignment, Review
from submissions.models import Submission
from tests.factories import AuthorshipFactory, EditionFactory, SeriesFactory, SubmissionFactory, UserFactory
from tests.urls import all_url_patterns, reverse_with

REVIEWER_NAMES = ["Xavierre Plumtree", "Odalys Fennimore"]
SECRETS = [
    "zebulon-confidential",
    "quintar-vote",
    "marlowe-meta",
    "tessaly-discussion",
    "internal-note-ravel",
]
TOKENS = [*SECRETS, *(part for name in REVIEWER_NAMES for part in name.lower().split())]

EXCLUDED = {"admin:": "the Django admin is for staff; an author is sent to its sign-in page and sees nothing"}
SAMPLE = {
    "object_id": "1", "id": "1", "app_label": "accounts", "content_type_id": "1", "key": "not-a-real-key",
    "uidb36": "1", "token": "0123456789abcdef0123456789abcdef", "slug": "sse", "year": 2028,
    "action": "resend", "step": "paper", "kind": "paper", "version": 1, "file_format": "csv", "pk": 1,
    "question": 1, "goal": 8, "role": "author",
}  # fmt: skip
PATTERNS = [(name, p) for name, p in all_url_patterns() if not name.startswith(tuple(EXCLUDED))]


def leaked(text: str) -> list[str]:
    text = text.lower()
    return [token for token in TOKENS if token in text]


@pytest.fixture
def scene(db, django_capture_on_commit_callbacks):
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028, blind_mode=Edition.BlindMode.SINGLE)
    chair, member = UserFactory(), UserFactory()
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    Role.objects.create(edition=edition, user=member, kind=Role.Kind.COMMITTEE)
    author, coauthor = UserFactory(), UserFactory()
    papers = []
    for number, title in [(1, "Accepted paper"), (2, "Rejected paper")]:
        state = Submission.State.UNDER_REVIEW
        paper = SubmissionFactory(edition=edition, number=number, title=title, state=state, authors=0)
        AuthorshipFactory(submission=paper, user=author, email=author.email, position=0)
        AuthorshipFactory(submission=paper, user=coauthor, email=coauthor.email, position=1)
        for name in REVIEWER_NAMES:
            reviewer = UserFactory(name=name)
            Role.objects.get_or_create(edition=edition, user=reviewer, kind=Role.Kind.REVIEWER)
            assignment = Assignment.objects.create(submission=paper, reviewer=reviewer)
            Review.objects.create(
                assignment=assignment, state="submitted", submitted_at=timezone.now(), confidence=4,
                comments_to_authors="Please discuss the sample size.",
                confidential_comments="Zebulon-confidential: I suspect this was published before.",
            )  # fmt: skip
            services.post_comment(
                submission=paper, by=reviewer, text="Tessaly-discussion: agree with the others."
            )
        decisions.vote(submission=paper, by=member, value="accept", comment="Quintar-vote: solid work.")
        decisions.set_lead(submission=paper, lead=member, by=chair)
        decisions.write_meta_review(submission=paper, by=member, text="Marlowe-meta: a clear accept.")
        english = "Accept" if number == 1 else "Reject"
        chosen = next(o for o in decisions.outcomes_for(edition) if o.name["en"] == english)
        decisions.decide(submission=paper, outcome=chosen, by=chair, version=0, note="Internal-note-ravel")
        papers.append(paper)
    with django_capture_on_commit_callbacks(execute=True):
        release.start_release(edition=edition, by=chair)
    return {"author": author, "coauthor": coauthor, "papers": papers}


@pytest.mark.parametrize("who", ["author", "coauthor"])
def test_no_page_or_mail_an_author_gets_shows_a_confidential_comment_a_vote_or_a_reviewer(client, scene, who):
    person = scene[who]
    client.force_login(person)
    opened, leaks = 0, []
    for name, pattern in PATTERNS:
        for number in (1, 2):
            url = reverse_with(pattern, name, {**SAMPLE, "number": number})
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            opened += response.status_code == 200
            if found := leaked(body.decode("utf-8", "replace")):
                leaks.append((url, response.status_code, found))
    assert leaks == [], "\n".join(map(str, leaks))
    assert opened > 15
    decision_page = client.get("/calls/sse/2028/papers/1/decision/").content.decode()
    assert "Please discuss the sample size." in decision_page  # what authors may see, they do see

    mails = OutboxMessage.objects.filter(recipient=person.email)
    assert mails.filter(idempotency_key__startswith="decision:").count() == 2
    for mail in mails:
        assert leaked(mail.subject + mail.body_text + mail.body_html) == [], mail.subject


def test_the_scan_sees_what_it_looks_for(scene):
    # The words are really in the database, where a careless page would find them.
    assert Review.objects.filter(confidential_comments__icontains="zebulon-confidential").count() == 4
    assert leaked(" ".join(Review.objects.values_list("assignment__reviewer__name", flat=True)))
