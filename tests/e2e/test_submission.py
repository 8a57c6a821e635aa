"""An author submits a paper with a PDF through every step; a co-author claims it from the mail and edits it.

Everything is real, as in test_signup.py: the browser, the live server on PostgreSQL, a Celery worker
fed through Redis and an SMTP server. Every receipt carries the SHA-256 of the file as it is stored.
"""

from __future__ import annotations

import hashlib
import importlib
import re

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from conference.models import Question, SubmissionType, Track
from submissions.demo_pdf import make_pdf
from submissions.models import Document, Submission
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.helpers import PageProblems, field, screenshot
from tests.factories import PASSWORD, EditionFactory, SeriesFactory, UserFactory

TITLE = "Solidarity finance in cities"
ABSTRACT = "How cooperative banks lend to social enterprises in three European cities."
EDITED_ABSTRACT = "How cooperative and ethical banks lend to social enterprises in five European cities."
CLAIM_LINK = re.compile(r"https?://\S+/papers/claim/[\w-]+/")
SHA256 = re.compile(r"SHA-256: ([0-9a-f]{64})")


def ensure_sdgs() -> None:
    """A browser test's database is emptied after each test, and the data migration's 17 SDGs with it."""
    from django.apps import apps

    importlib.import_module("conference.migrations.0002_sustainable_development_goals").add_sdgs(apps, None)


def make_call():
    """An open call with a type, a track and one required yes/no question, so that every step is there."""
    ensure_sdgs()
    edition = EditionFactory(series=SeriesFactory(slug="sse"), year=2028, page_limit=10)
    SubmissionType.objects.create(edition=edition, name={"en": "Research paper"})
    Track.objects.create(edition=edition, name={"en": "Care economy"})
    Question.objects.create(
        edition=edition, text={"en": "Is the research funded by a grant?"}, kind=Question.Kind.YES_NO,
        required=True,
    )  # fmt: skip
    return edition


@pytest.fixture
def call(live_server, settings):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    return make_call()


def new_page(browser, live_server):
    """A tab in a fresh context (no cookies): a second person at another computer."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.problems = PageProblems(page)
    return page


def sign_in(page, email: str) -> None:
    """On the login page: the real form, with the factories' password."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    field(page, "Email").fill(email)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def sign_in_by_cookie(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])


def expect_step(page, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def save_and_continue(page, next_heading: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect_step(page, next_heading)


def start_paper(page, edition) -> None:
    page.goto(edition.get_absolute_url())
    page.get_by_role("link", name="Submit a paper").click()


def fill_type_and_paper(page) -> None:
    expect_step(page, "Type and track")
    page.get_by_role("radio", name="Research paper").check()
    page.get_by_role("radio", name="Care economy").check()
    field(page, "Language of the paper").select_option(label="English")


def test_an_author_submits_a_coauthor_claims_and_edits_and_every_receipt_has_the_files_hash(
    page, browser, live_server, celery_workers, mailbox, call, tmp_path
):
    celery_workers.start(concurrency=1)
    author = UserFactory(name="Ana Author", email="ana@uni.example")
    # The co-author's account has another address than the one the author names: the link is what counts.
    coauthor = UserFactory(name="Ben Coauthor", email="ben.private@example.org")
    pdf = tmp_path / "solidarity-finance.pdf"
    pdf.write_bytes(make_pdf(title=TITLE, pages=3))
    uploaded_sha = hashlib.sha256(pdf.read_bytes()).hexdigest()

    # The author finds the call, signs in on the way, and starts a paper.
    start_paper(page, call)
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, author.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit a paper")
    page.get_by_role("button", name="Start a new paper").click()

    fill_type_and_paper(page)
    screenshot(page, "submission-1-type")
    save_and_continue(page, "Title and abstract")

    field(page, "Title").fill(TITLE)
    field(page, "Abstract").fill(ABSTRACT)
    screenshot(page, "submission-2-paper")
    save_and_continue(page, "Authors")

    new_author = page.get_by_role("group", name="Add an author")
    field(new_author, "Name").fill("Ben Coauthor")
    field(new_author, "E-mail address").fill("ben@coop.example")
    screenshot(page, "submission-3-authors")
    save_and_continue(page, "Topics and keywords")

    page.get_by_role("checkbox", name="SDG 5: Gender equality").check()
    page.get_by_role("checkbox", name="SDG 8: Decent work and economic growth").check()
    field(page, "Your own keywords").fill("cooperatives, credit")
    screenshot(page, "submission-4-topics")
    save_and_continue(page, "Questions")

    page.get_by_role("radio", name="Yes").check()
    screenshot(page, "submission-5-questions")
    save_and_continue(page, "Conflicts of interest")

    screenshot(page, "submission-6-conflicts")  # nothing to declare
    save_and_continue(page, "PDF")

    field(page, "Paper (PDF)").set_input_files(pdf)
    screenshot(page, "submission-7-pdf")
    page.get_by_role("button", name="Upload and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit")
    summary = page.get_by_role("main")
    for text in [TITLE, ABSTRACT, "Research paper", "Care economy", "Ana Author", "Ben Coauthor",
                 "SDG 5: Gender equality; SDG 8: Decent work", "cooperatives, credit",
                 "solidarity-finance.pdf", uploaded_sha]:  # fmt: skip
        expect(summary).to_contain_text(text)
    screenshot(page, "submission-8-check")
    page.get_by_role("button", name="Submit the paper").click()

    expect(page.get_by_role("status")).to_contain_text("Your paper is submitted.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"#1 {TITLE}")
    screenshot(page, "submission-9-submitted")
    submission = Submission.objects.get(edition=call)
    assert submission.state == Submission.State.SUBMITTED
    assert [a.name for a in submission.sorted_authors()] == ["Ana Author", "Ben Coauthor"]

    # The invitation (queued when the co-author was added) and a receipt for each author.
    logs = celery_workers.logs
    mails = mailbox.wait_for(3, describe=logs)
    invitations = [m for m in mails if "named as an author" in m.subject]
    assert [m.to for m in invitations] == [["ben@coop.example"]], [(m.to, m.subject) for m in mails]
    links = CLAIM_LINK.findall(mailbox.body_of(invitations[0]))
    assert len(links) == 1 and links[0].startswith(live_server.url), mailbox.body_of(invitations[0])

    # The co-author, at another computer, follows the link, signs in on the way and claims the paper.
    other = new_page(browser, live_server)
    other.goto(links[0])
    expect(other.get_by_role("heading", level=1)).to_have_text("Claim your paper")
    named = f"Ben Coauthor, you are named as an author of “{TITLE}”, a paper for {call.title['en']}."
    expect(other.get_by_role("main")).to_contain_text(named)
    screenshot(other, "submission-10-claim")
    other.get_by_role("main").get_by_role("link", name="Sign in").click()
    sign_in(other, coauthor.email)
    other.wait_for_url(links[0])
    other.get_by_role("button", name="Claim the paper").click()
    expect(other.get_by_role("status")).to_contain_text("You are now an author of this paper")
    expect(other.get_by_role("heading", level=1)).to_have_text(f"#1 {TITLE}")
    screenshot(other, "submission-11-claimed")

    other.get_by_role("complementary", name="Actions").get_by_role("link", name="Title and abstract").click()
    expect_step(other, "Title and abstract")
    expect(field(other, "Abstract")).to_have_value(ABSTRACT)
    field(other, "Abstract").fill(EDITED_ABSTRACT)
    other.get_by_role("button", name="Save", exact=True).click()
    expect(other.get_by_role("status")).to_contain_text("Your co-authors get a receipt for this change.")
    expect(field(other, "Abstract")).to_have_value(EDITED_ABSTRACT)
    screenshot(other, "submission-12-edited")
    other.context.close()

    submission.refresh_from_db()
    assert submission.abstract == EDITED_ABSTRACT
    assert submission.authorships.get(email="ben@coop.example").user == coauthor

    # Two receipts each: one for the submission, one for the co-author's change.
    mails = mailbox.wait_for(5, describe=logs)
    receipts = [m for m in mails if m.subject.startswith("Receipt")]
    assert len(mails) == 5 and len(receipts) == 4, [(m.to, m.subject) for m in mails]
    by_subject = {}
    for mail in receipts:
        by_subject.setdefault(mail.subject, []).extend(mail.to)
    both = ["ana@uni.example", "ben@coop.example"]
    assert {subject: sorted(to) for subject, to in by_subject.items()} == {
        "Receipt: paper 1 is submitted": both,
        "Receipt: paper 1 was changed": both,
    }

    document = Document.objects.get(submission=submission)
    with document.file.open("rb") as stored:
        stored_sha = hashlib.sha256(stored.read()).hexdigest()
    assert stored_sha == document.sha256 == uploaded_sha
    for mail in receipts:
        body = mailbox.body_of(mail)
        assert SHA256.findall(body) == [stored_sha], f"{mail.to} {mail.subject}:\n{body}"
        assert f"Title: {TITLE}" in body


@pytest.fixture
def png_named_pdf(tmp_path):
    path = tmp_path / "paper.pdf"
    Image.new("RGB", (60, 40), (29, 78, 137)).save(path, format="PNG")
    return path


def test_a_png_named_pdf_is_refused_next_to_the_field_and_the_draft_keeps_its_title(
    page, live_server, call, png_named_pdf
):
    sign_in_by_cookie(page, live_server, UserFactory(name="Ana Author"))
    start_paper(page, call)
    page.get_by_role("button", name="Start a new paper").click()
    fill_type_and_paper(page)
    save_and_continue(page, "Title and abstract")
    field(page, "Title").fill(TITLE)
    field(page, "Abstract").fill(ABSTRACT)
    save_and_continue(page, "Authors")

    steps = page.get_by_role("navigation", name="Steps of the form")
    steps.get_by_role("link", name="PDF").click()
    expect_step(page, "PDF")
    field(page, "Paper (PDF)").set_input_files(png_named_pdf)
    page.get_by_role("button", name="Upload and continue").click()

    expect_step(page, "PDF")
    upload = field(page, "Paper (PDF)")
    expect(upload).to_have_attribute("aria-invalid", "true")
    expect(upload).to_have_accessible_description(re.compile("This file is not a PDF"))
    screenshot(page, "submission-refused-file")
    assert not Document.objects.exists()

    steps.get_by_role("link", name="Check and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and submit")
    expect(page.get_by_role("main")).to_contain_text(TITLE)
    expect(page.get_by_role("alert")).to_contain_text("Upload the paper as PDF.")
    screenshot(page, "submission-refused-file-summary")
