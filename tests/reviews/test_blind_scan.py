"""Double blind, checked the hard way: an author with distinctive names, a reviewer who has done
everything a reviewer does, then every URL the resolver knows, opened as that reviewer, every mail
they were sent, and the bytes of the PDF they download, searched for the author's tokens.

A new URL is scanned by construction (the list comes from the resolver); only the admin is left
out, with its reason.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from conference.models import Edition, Question, Role
from notifications.models import OutboxMessage
from reviews import services
from reviews.models import Assignment
from reviews.reminders import send_review_reminders
from reviews.review_forms import review_form_for
from submissions.demo_pdf import make_pdf
from submissions.models import Answer, Document, Submission
from submissions.pdf import reviewer_copy
from tests.factories import (
    AuthorshipFactory,
    EditionFactory,
    OrganisationFactory,
    SeriesFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.urls import all_url_patterns, reverse_with

TOKENS = ["quillon", "vexbrook", "zanthar"]
XMP = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>Quillon Vexbrook, Zanthar</dc:creator></x:xmpmeta>"

EXCLUDED = {
    "admin:": "the Django admin is for staff; a reviewer is sent to its sign-in page and sees nothing"
}

SAMPLE = {
    "object_id": "1", "id": "1", "app_label": "accounts", "content_type_id": "1", "key": "not-a-real-key",
    "uidb36": "1", "token": "0123456789abcdef0123456789abcdef", "slug": "sse", "year": 2028,
    "action": "resend", "step": "paper", "kind": "paper", "version": 1, "file_format": "csv", "goal": 8,
    "role": "author",
}  # fmt: skip

PATTERNS = [(name, p) for name, p in all_url_patterns() if not name.startswith(tuple(EXCLUDED))]


def leaked(data: bytes | str) -> list[str]:
    text = (data.decode("utf-8", "replace") if isinstance(data, bytes) else data).lower()
    return [token for token in TOKENS if token in text]


@pytest.fixture
def scene(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028, blind_mode=Edition.BlindMode.DOUBLE)
    chair, committee, reviewer, other = UserFactory.create_batch(4)
    for person, kind in [
        (chair, "chair"),
        (committee, "committee"),
        (reviewer, "reviewer"),
        (other, "reviewer"),
    ]:
        Role.objects.create(edition=edition, user=person, kind=kind)
    # The organisation's name is neutral: the profile page lists every organisation, whatever the paper.
    zanthar = OrganisationFactory(name="Institute of Flux", acronym="IF", email_domains=["zanthar.example"])
    author = UserFactory(name="Quillon Vexbrook", email="quillon@zanthar.example", organisation=zanthar)
    question = Question.objects.create(
        edition=edition, text={"en": "Data used"}, kind=Question.Kind.TEXT, shown_to_reviewers=True
    )
    file_question = Question.objects.create(
        edition=edition, text={"en": "Data file"}, kind=Question.Kind.FILE, shown_to_reviewers=True
    )
    papers = []
    for number in (1, 2):
        title = f"Solidarity finance {number}"
        paper = SubmissionFactory(edition=edition, number=number, title=title, authors=0,
                                  state=Submission.State.SUBMITTED)  # fmt: skip
        AuthorshipFactory(submission=paper, user=author, name=author.name, email=author.email,
                          affiliation="Zanthar Institute")  # fmt: skip
        data = make_pdf(
            title=f"Solidarity finance {number}", author="Quillon Vexbrook", keywords="Zanthar", xmp=XMP
        )
        document = Document(submission=paper, version=1, original_name="vexbrook-zanthar.pdf",
                            sha256="0" * 64, size=len(data), pages=1)  # fmt: skip
        document.file.save("a.pdf", ContentFile(data), save=False)
        document.reviewer_file.save("b.pdf", ContentFile(reviewer_copy(data)), save=True)
        Answer.objects.create(submission=paper, question=question, value="Household surveys")
        answer = Answer(submission=paper, question=file_question, file_name="vexbrook-data.csv")
        answer.file.save("c", ContentFile(b"Zanthar,1"), save=True)
        papers.append(paper)
    # The reviewer is given both papers (mails), reviews paper 1, and is reminded of paper 2.
    for paper in papers:
        services.assign(submission=paper, reviewer=reviewer, by=chair)
    services.assign(submission=papers[0], reviewer=other, by=chair)
    criteria = review_form_for(edition).criteria.all()
    review = {"scores": {str(c.pk): 4 for c in criteria}, "recommendation": "accept", "confidence": 4,
              "comments_to_authors": "Clear.", "confidential_comments": "Fine."}  # fmt: skip
    for person in (reviewer, other):
        assignment = Assignment.objects.get(submission=papers[0], reviewer=person)
        services.save_review(assignment=assignment, by=person, data=review, submit=True, revision=None)
    services.post_comment(submission=papers[0], by=committee, text="Should we accept it?")
    services.post_comment(submission=papers[0], by=other, text="I think so.")
    send_review_reminders(now=edition.review_deadline - timedelta(days=3))
    return {"reviewer": reviewer, "edition": edition, "papers": papers}


def test_nothing_a_reviewer_opens_receives_or_downloads_names_an_author(client, scene):
    reviewer = scene["reviewer"]
    client.force_login(reviewer)
    opened, leaks = 0, []
    for name, pattern in PATTERNS:
        for number in (1, 2):
            values = {**SAMPLE, "number": number, "pk": 1, "question": 1}
            url = reverse_with(pattern, name, values)
            for query in ("", "?download=1"):
                response = client.get(url + query)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                headers = " ".join(f"{key}: {value}" for key, value in response.headers.items())
                opened += response.status_code == 200
                if found := leaked(body) + leaked(headers):
                    leaks.append((url + query, response.status_code, found))
    assert leaks == [], "\n".join(map(str, leaks))
    assert opened > 20  # the scan reached the reviewer's pages, not only refusals

    mails = OutboxMessage.objects.filter(recipient=reviewer.email)
    assert mails.count() == 3  # a mail for each paper given, and one reminder
    for mail in mails:
        assert leaked(mail.subject + mail.body_text + mail.body_html) == [], mail.subject


def test_the_scan_sees_what_it_looks_for(client, scene):
    # The scan is only worth something if the tokens are really in the paper and its files.
    client.force_login(scene["reviewer"])
    own_file = scene["papers"][0].documents.get().file.read()
    assert leaked(own_file) != []
    page = client.get("/calls/sse/2028/review/papers/1/").content
    assert b"Solidarity finance 1" in page and b"Household surveys" in page
    pdf = client.get("/calls/sse/2028/review/papers/1/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_only_the_admin_is_left_out_of_the_scan():
    names = [name for name, _pattern in all_url_patterns()]
    left_out = [name for name in names if name not in dict(PATTERNS)]
    assert left_out and all(name.startswith("admin:") for name in left_out)
