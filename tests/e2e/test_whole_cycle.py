"""The whole cycle of a call, in the browser, once in English and once in French.

A chair opens the call and invites three reviewers and a committee member, who accept from their mail;
three authors submit; the reviewers bid, a Celery worker computes the automatic assignment and the chair
applies it; the reviewers review, the committee votes, the chair decides and sends the decisions; an
author sends the final version, the chair approves and publishes it; a visitor finds it in the hub and
downloads it, a harvester sees it over OAI-PMH; and the author registers for a symposium from a personal
invitation. Everything is real: PostgreSQL, Redis, Celery workers, an SMTP server whose mails' links
are followed. The chair moves the call from phase to phase on its settings page, as a chair would.

Selectors are ids, names and addresses wherever they can be; visible texts come from the catalogues
(`Walk.t`), and a few French ones are written out (FRENCH) so that a missing translation shows.
Every main page is screenshot and checked by axe (tests/e2e/screens/cycle-<language>-*.png).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import icalendar
import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from oaipmh_scythe import Scythe
from playwright.sync_api import expect

from conference.models import Edition, Role, SubmissionType, Topic, Track
from events.models import Event, Registration
from hub.models import Publication
from reviews.decisions import DEFAULT_OUTCOMES
from reviews.models import Assignment, Decision, Review, Vote
from submissions.demo_pdf import make_pdf
from submissions.models import Submission
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import ensure_sdgs, expect_step, new_page
from tests.events.helpers import make_event
from tests.factories import PASSWORD, EditionFactory, SeriesFactory, UserFactory
from tests.services import wait_until

CALL = "/calls/sse/2028/"
EVENT = "/events/symposium-2028/"
INVITATION_LINK = re.compile(r"https?://\S+/calls/invitations/[\w-]+/")
REVIEW_LINK = re.compile(r"https?://\S+/calls/sse/2028/review/")
DECISION_LINK = re.compile(r"https?://\S+/calls/sse/2028/papers/\d+/decision/")
PAPER_LINK = re.compile(r"https?://\S+/calls/sse/2028/papers/\d+/(?=\s)")
EVENT_LINK = re.compile(r"https?://\S+/events/invitation/\S+/")

# (title, abstract, SDGs) of the three papers, in the language of each run; paper 3 is rejected.
PAPERS = {
    "en": [
        ("Solidarity finance in cities",
         "How cooperative banks lend to social enterprises in three European cities.", [8, 11]),
        ("Care cooperatives in rural Kenya",
         "Who cares for the elderly when the state does not: member-owned care cooperatives in two counties.",
         [3, 5]),
        ("Platform cooperatives and decent work",
         "Riders and cleaners who own their platforms: pay, hours and voice compared with gig companies.",
         [8, 10]),
    ],
    "fr": [
        ("La finance solidaire dans les villes",
         "Comment les banques coopératives prêtent aux entreprises sociales de trois villes européennes.",
         [8, 11]),
        ("Les coopératives de soins au Kenya rural",
         "Qui s'occupe des personnes âgées quand l'État ne le fait pas : des coopératives de soins.", [3, 5]),
        ("Coopératives de plateforme et travail décent",
         "Des livreurs propriétaires de leur plateforme : salaires, horaires et voix au chapitre.", [8, 10]),
    ],
}  # fmt: skip
SEARCH = {"en": "solidarity finance", "fr": "finance solidaire"}
KEY_MESSAGE = {
    "en": "Municipal guarantees unlock cooperative credit for social enterprises.",
    "fr": "Les garanties municipales ouvrent le crédit coopératif aux entreprises sociales.",
}
# Written out from locale/fr/LC_MESSAGES/django.po: these fail if a page falls back to English.
FRENCH = {
    "bids": "Quelles communications souhaitez-vous évaluer ?",
    "review submitted": "Votre évaluation a été soumise.",
    "release": "Envoyer les décisions",
    "search": "Chercher dans le centre de connaissances",
    "final approved": "La version finale a été approuvée : la communication est prête à être publiée.",
}
ENGLISH = {
    "bids": "Which papers would you like to review?",
    "review submitted": "Your review is submitted.",
    "release": "Send the decisions",
    "search": "Search the hub",
    "final approved": "The final version is approved: the paper is ready to publish.",
}
OUTCOME = {name["en"]: name for name, _maps_to in DEFAULT_OUTCOMES}  # "Accept" -> its name per language


@dataclass
class Walk:
    """What every step needs: the language of the run, the servers, the call, and how to read mail."""

    language: str
    browser: object
    live_server: object
    mailbox: object
    workers: object
    edition: Edition
    pages: list = field(default_factory=list)

    def t(self, text: str, **values) -> str:
        """`text` as the interface shows it in this run's language (Django's and allauth's catalogues)."""
        with translation.override(self.language):
            translated = gettext(text)
        return translated % values if values else translated

    def written(self, key: str) -> str:
        return (FRENCH if self.language == "fr" else ENGLISH)[key]

    def page_for(self, *, switcher: bool = False):
        """A tab in a fresh browser context: one person at their own computer, speaking the run's language.

        With `switcher`, the person picks the language in the header's switcher; the others' browsers
        already carry the cookie the switcher leaves."""
        page = new_page(self.browser, self.live_server)
        page.on("dialog", lambda dialog: dialog.accept())  # "Send the decisions now?" and the like
        self.pages.append(page)
        if switcher:
            page.goto("/")
            page.locator("#language-select").select_option(self.language)
            page.locator(".language-switcher button").click()
            expect(page.locator("html")).to_have_attribute("lang", self.language)
        else:
            page.context.add_cookies([{
                "name": django_settings.LANGUAGE_COOKIE_NAME, "value": self.language,
                "url": self.live_server.url,
            }])  # fmt: skip
        return page

    def close(self) -> None:
        for page in self.pages:
            page.context.close()

    def show(self, page, name: str) -> None:
        """The page is in the run's language; screenshot it and check it with axe."""
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        audit(page, f"cycle-{self.language}-{name}")

    def success(self, page):
        """The page's message, as long as it is a success (an error is in the same region, in red)."""
        return page.locator("main .messages[role=status] .alert-success")

    def mail(self, to: str, link: re.Pattern) -> tuple[object, str]:
        """The first mail to `to` with a link matching `link`, waiting for the worker to send it."""

        def found():
            for mail in self.mailbox.mails:
                if to in mail.to:
                    links = link.findall(self.mailbox.body_of(mail))
                    if links:
                        return mail, links[0]
            return None

        mail, url = wait_until(
            found, timeout=60, message=f"a mail to {to} with a link like {link.pattern}",
            describe=lambda: "\n".join(f"{m.to} {m.subject}" for m in self.mailbox.mails)
            + "\n" + self.workers.logs(),
        )  # fmt: skip
        assert url.startswith(self.live_server.url), url
        return mail, url

    def local(self, moment: datetime) -> str:
        """A moment as a chair types it: in the call's time zone, to the minute."""
        return moment.astimezone(self.edition.zone).strftime("%Y-%m-%dT%H:%M")

    def chair_menu(self, chair, path: str) -> None:
        """A chair page, by its link in the chair's menu (on every chair page, so the dashboard's)."""
        chair.goto(f"{CALL}chair/")
        chair.locator(f"a.nav-link[href='{CALL}{path}']").click()
        chair.wait_for_url(f"**{CALL}{path}")

    def save_settings(self, chair, phase: Edition.Phase, **moments: datetime) -> None:
        """On the settings page: type the timeline's new moments and save; the call is then in `phase`."""
        for name, moment in moments.items():
            chair.locator(f"#id_{name}").fill(self.local(moment))
        chair.locator("#submit-id-save").click()
        expect(self.success(chair)).to_contain_text(self.t("The settings are saved."))
        self.edition.refresh_from_db()
        assert self.edition.phase == phase, (self.edition.phase, phase)

    def move_timeline(self, chair, phase: Edition.Phase, **moments: datetime) -> None:
        """The chair moves the call to its next phase by editing the timeline, as the settings page allows."""
        self.chair_menu(chair, "chair/settings/")
        self.save_settings(chair, phase, **moments)


def sign_in(page, user) -> None:
    """allauth's login form, where a link or a private page has led."""
    page.wait_for_url("**/accounts/login/**")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def person(language: str, name: str, email: str):
    return UserFactory(name=name, email=email, preferred_language=language)


def make_draft_call(language: str) -> Edition:
    """A call set up by staff but not opened yet: announced later, opening in a month."""
    ensure_sdgs()
    edition = EditionFactory(
        series=SeriesFactory(slug="sse", name={"en": "Social economy", "fr": "Économie sociale"}),
        year=2028, title={"en": "Call for papers 2028", "fr": "Appel à communications 2028"},
        languages=["en", "fr"], announced=False, cfp_opens_at=timezone.now() + timedelta(days=30),
        blind_mode=Edition.BlindMode.DOUBLE, reviews_per_paper=3,
    )  # fmt: skip
    SubmissionType.objects.create(
        edition=edition, name={"en": "Research paper", "fr": "Article de recherche"}
    )
    Track.objects.create(edition=edition, name={"en": "Finance and work", "fr": "Finance et travail"})
    return edition


# --- The steps, each through the browser ------------------------------------------------------------


def open_call_and_invite(walk: Walk, chair, people: list[tuple[object, str]]) -> None:
    walk.show(chair, "chair-dashboard")
    walk.chair_menu(chair, "chair/settings/")
    walk.show(chair, "chair-settings")
    chair.locator("#id_announced").check()
    chair.locator("#id_reviews_per_paper").fill("2")
    walk.save_settings(chair, Edition.Phase.OPEN, cfp_opens_at=timezone.now() - timedelta(minutes=1))

    walk.chair_menu(chair, "chair/people/")
    for user, kind in people:
        chair.locator("#id_email").fill(user.email)
        chair.locator("#id_name").fill(user.name)
        chair.locator("#id_kind").select_option(kind)
        chair.locator("#id_message").fill("We would value your reading of this call's papers.")
        chair.locator("#submit-id-invite").click()
        expect(walk.success(chair)).to_contain_text(
            walk.t("The invitation is on its way to %(email)s.", email=user.email)
        )
    walk.show(chair, "chair-people")


def accept_invitation(walk: Walk, user, *, shots: bool = False):
    page = walk.page_for()
    _mail, link = walk.mail(user.email, INVITATION_LINK)
    page.goto(link)
    if shots:
        walk.show(page, "invitation")
    page.locator("main a[href^='/accounts/login/']").click()
    sign_in(page, user)
    page.locator("button[name=answer][value=accept]").click()
    page.wait_for_url(f"**{CALL}")
    expect(walk.success(page)).to_contain_text(walk.edition.title[walk.language])
    if shots:
        walk.show(page, "call-after-accepting")
    return page


def submit_paper(walk: Walk, author, paper: tuple[str, str, list[int]], pdf, *, shots: bool) -> Submission:
    title, abstract, goals = paper
    page = walk.page_for()
    page.goto("/")
    page.locator(f"main a[href='{CALL}']").first.click()  # the open call, on the home page
    page.wait_for_url(f"**{CALL}")
    if shots:
        walk.show(page, "call")
    page.locator(f"main a[href='{CALL}submit/']").first.click()
    sign_in(page, author)
    page.get_by_role("button", name=walk.t("Start a new paper")).click()

    def step(name: str, heading: str, button: str = "Save and continue") -> None:
        expect_step(page, walk.t(heading))
        if shots:
            walk.show(page, f"submission-{name}")
        page.get_by_role("button", name=walk.t(button)).click()

    expect_step(page, walk.t("Type and track"))
    page.locator("input[name=submission_type]").check()
    page.locator("input[name=track]").check()
    page.locator("#id_language").select_option(walk.language)
    step("type", "Type and track")
    page.locator("#id_title").fill(title)
    page.locator("#id_abstract").fill(abstract)
    step("paper", "Title and abstract")
    page.locator("#id_authors-0-affiliation").fill(f"University of {author.name.split()[-1]}")
    step("authors", "Authors")
    for goal in goals:
        page.locator(f"input[name=topics][value='{Topic.objects.get(sdg_number=goal).pk}']").check()
    page.locator("#id_keywords_text").fill("cooperatives, social economy")
    step("topics", "Topics and keywords")
    step("conflicts", "Conflicts of interest")  # nothing to declare
    page.locator("#id_file").set_input_files(pdf)
    step("file", "PDF", "Upload and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text(walk.t("Check and submit"))
    expect(page.get_by_role("main")).to_contain_text(title)
    if shots:
        walk.show(page, "submission-check")
    page.get_by_role("button", name=walk.t("Submit the paper")).click()
    expect(walk.success(page)).to_contain_text(
        walk.t("Your paper is submitted. Every author gets a receipt by e-mail.")
    )
    if shots:
        walk.show(page, "submission-submitted")
    submission = Submission.objects.get(edition=walk.edition, title=title)
    assert submission.state == Submission.State.SUBMITTED and submission.language == walk.language
    return page


def bid(walk: Walk, page, bids: dict[Submission, str], *, shots: bool) -> None:
    page.goto(CALL)
    page.locator(f"main a[href='{CALL}review/bids/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(walk.written("bids"))
    for paper, value in bids.items():
        page.locator(f"input[name='bid-{paper.pk}'][value='{value}']").check()
    if shots:
        walk.show(page, "bids")
    page.get_by_role("button", name=walk.t("Save the bids on this page")).click()
    expect(walk.success(page)).to_contain_text(walk.t("Your bids are saved."))


def review(walk: Walk, page, reviewer, *, shots: bool) -> None:
    """From the mail that lists the reviewer's papers: each one, reviewed and submitted."""
    _mail, link = walk.mail(reviewer.email, REVIEW_LINK)
    numbers = sorted(
        Assignment.objects.filter(reviewer=reviewer).values_list("submission__number", flat=True)
    )
    assert numbers, f"{reviewer.name} was given no paper"
    for number in numbers:
        page.goto(link)
        if shots and number == numbers[0]:
            walk.show(page, "reviewer-papers")
        page.locator(f"main a[href='{CALL}review/papers/{number}/']").first.click()
        page.wait_for_url(f"**{CALL}review/papers/{number}/")
        point, recommendation = (4, "accept") if number != 3 else (2, "weak_reject")
        criteria = page.evaluate(
            """() => [...new Set([...document.querySelectorAll('input[type=radio]')]
                .map(radio => radio.name).filter(name => /^c\\d+$/.test(name)))]"""
        )
        assert len(criteria) == 6, criteria
        for name in criteria:
            page.locator(f"input[name='{name}'][value='{point}']").check()
        page.locator(f"input[name=recommendation][value={recommendation}]").check()
        page.locator("input[name=confidence][value='4']").check()
        page.locator("#id_comments_to_authors").fill(
            f"Paper {number}: say more on how the cases were chosen."
        )
        if shots and number == numbers[0]:
            walk.show(page, "reviewer-paper")
        page.locator("button[name=submit]").click()
        expect(walk.success(page)).to_contain_text(walk.written("review submitted"))


def vote(walk: Walk, page, papers: list[Submission]) -> None:
    page.goto(CALL)
    page.locator(f"main a[href='{CALL}committee/ranking/']").click()
    page.wait_for_url(f"**{CALL}committee/ranking/")
    walk.show(page, "committee-ranking")
    for paper in papers:
        page.locator(f"main a[href='{CALL}committee/papers/{paper.number}/']").click()
        page.wait_for_url(f"**{CALL}committee/papers/{paper.number}/")
        page.locator("#vote-reject" if paper.number == 3 else "#vote-accept").check()
        page.locator("#vote-comment").fill("The reviews agree.")
        if paper.number == 1:
            walk.show(page, "committee-paper")
        page.locator(f"form[action='{CALL}committee/papers/{paper.number}/vote/'] button").click()
        expect(walk.success(page)).to_be_visible()
        page.locator(f"main a[href='{CALL}committee/ranking/']").click()
        page.wait_for_url(f"**{CALL}committee/ranking/")


def decide(walk: Walk, chair, papers: list[Submission], outcome: str) -> None:
    for paper in papers:
        chair.locator(f"#paper-{paper.pk}").check()
    chair.locator("#outcome").select_option(label=OUTCOME[outcome][walk.language])
    chair.get_by_role("button", name=walk.t("Record the decisions")).click()
    expect(walk.success(chair)).to_be_visible()


# --- The walk ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_call_goes_from_opening_to_the_hub_and_a_symposium(
    language, browser, live_server, celery_workers, mailbox, settings, tmp_path, request
):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    # One worker with two processes for the whole walk: mail, conflicts, the assignment, the sending.
    celery_workers.start(concurrency=2, SITE_URL=live_server.url, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    edition = make_draft_call(language)
    walk = Walk(language, browser, live_server, mailbox, celery_workers, edition)
    request.addfinalizer(walk.close)  # every person's browser context
    chair = person(language, "Chiara Chair", "chiara.chair@unrisd.example")
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    reviewers = [
        person(language, "Giulia Rossi", "giulia.rossi@euricse.example"),
        person(language, "Amina Wanjiru", "amina.wanjiru@strathmore.example"),
        person(language, "Lucas Moreau", "lucas.moreau@unige.example"),
    ]
    member = person(language, "Kofi Mensah", "kofi.mensah@uonbi.example")
    authors = [
        person(language, "Ana Núñez", "ana.nunez@unal.example"),
        person(language, "Wanjiru Kamau", "wanjiru.kamau@ku.example"),
        person(language, "Ravi Sharma", "ravi.sharma@iitb.example"),
    ]

    # 1. The chair opens the call and invites three reviewers and a committee member, who accept.
    chair_page = walk.page_for(switcher=True)
    chair_page.goto(f"{CALL}chair/")
    sign_in(chair_page, chair)
    open_call_and_invite(
        walk, chair_page, [(r, Role.Kind.REVIEWER) for r in reviewers] + [(member, Role.Kind.COMMITTEE)]
    )
    reviewer_pages = [accept_invitation(walk, r, shots=i == 0) for i, r in enumerate(reviewers)]
    member_page = accept_invitation(walk, member)
    assert Role.objects.filter(edition=edition, kind=Role.Kind.REVIEWER).count() == 3

    # 2. Three authors submit a paper each, through every step of the form.
    pdfs = [tmp_path / f"paper-{number}.pdf" for number in (1, 2, 3)]
    for pdf, (title, _abstract, _goals) in zip(pdfs, PAPERS[language], strict=True):
        pdf.write_bytes(make_pdf(title=title, pages=3))
    author_pages = [
        submit_paper(walk, author, paper, pdf, shots=i == 0)
        for i, (author, paper, pdf) in enumerate(zip(authors, PAPERS[language], pdfs, strict=True))
    ]
    papers = list(Submission.objects.filter(edition=edition).order_by("number"))
    assert [p.number for p in papers] == [1, 2, 3]
    for author in authors:
        walk.mail(author.email, PAPER_LINK)  # the receipt

    # 3. The deadline passes; the reviewers bid, a worker computes the assignment, the chair applies it.
    walk.move_timeline(chair_page, Edition.Phase.REVIEWING, submission_deadline=timezone.now())
    for i, page in enumerate(reviewer_pages):
        preferences = ["eager", "willing", "not_willing"]
        bid(walk, page, {papers[(i + k) % 3]: preferences[k] for k in range(3)}, shots=i == 0)
    walk.chair_menu(chair_page, "chair/review/automatic/")
    chair_page.get_by_role("button", name=walk.t("Compute a proposal")).click()
    apply = chair_page.locator("button[name=action][value=apply]")
    expect(apply).to_be_visible(timeout=60_000)  # the page fetches itself until the worker is done
    walk.show(chair_page, "chair-assignment-proposal")
    apply.click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(walk.t("Reviewers and assignments"))
    walk.show(chair_page, "chair-assignments")
    assignments = Assignment.objects.filter(submission__edition=edition, automatic=True)
    assert sorted(assignments.values_list("submission__number", flat=True)) == [1, 1, 2, 2, 3, 3]

    # 4. Reviews, votes, decisions, and the decisions sent to the authors.
    for i, (reviewer, page) in enumerate(zip(reviewers, reviewer_pages, strict=True)):
        review(walk, page, reviewer, shots=i == 0)
    assert Review.objects.filter(state=Review.State.SUBMITTED).count() == 6
    walk.move_timeline(chair_page, Edition.Phase.DECIDING, review_deadline=timezone.now())
    vote(walk, member_page, papers)
    assert Vote.objects.filter(voter=member).count() == 3
    walk.chair_menu(chair_page, "committee/ranking/")
    decide(walk, chair_page, papers[:2], "Accept")
    decide(walk, chair_page, papers[2:], "Reject")
    walk.show(chair_page, "chair-ranking-decided")
    assert Decision.objects.filter(submission__edition=edition).count() == 3
    walk.chair_menu(chair_page, "chair/decisions/release/")
    expect(chair_page.get_by_role("heading", level=1)).to_have_text(walk.written("release"))
    walk.show(chair_page, "chair-release")
    chair_page.locator("main form[data-confirm] button").click()  # the confirmation is accepted
    expect(chair_page.locator("#release-progress [role=status]")).to_have_text(
        walk.t("%(released)s of %(total)s decisions sent.", released=3, total=3), timeout=60_000
    )
    chair_page.reload()  # the page refreshes only its progress in place; the list below is as it was
    expect(chair_page.locator("main form[data-confirm]")).to_have_count(0)  # nothing waits any more
    walk.show(chair_page, "chair-release-done")
    walk.move_timeline(chair_page, Edition.Phase.NOTIFIED, notification_date=timezone.now())
    for author, outcome in zip(authors, ["Accept", "Accept", "Reject"], strict=True):
        mail, _link = walk.mail(author.email, DECISION_LINK)
        assert OUTCOME[outcome][language] in mail.subject, mail.subject

    # 5. The first author sends the final version; the chair approves it and publishes it.
    author_page = author_pages[0]
    _mail, link = walk.mail(authors[0].email, DECISION_LINK)
    author_page.goto(link)
    walk.show(author_page, "author-decision")
    author_page.locator(f"main a[href='{CALL}papers/1/final/']").first.click()
    expect(author_page.get_by_role("heading", level=1)).to_have_text(walk.t("Final version"))
    author_page.locator("#id_key_message_0").fill(KEY_MESSAGE[language])
    final_pdf = tmp_path / "final.pdf"
    final_pdf.write_bytes(make_pdf(title=f"{PAPERS[language][0][0]} (final)", pages=4))
    author_page.locator("#id_file").set_input_files(final_pdf)
    author_page.locator("#id_licence").check()
    walk.show(author_page, "author-final")
    author_page.locator("main form button[type=submit]").click()
    expect(walk.success(author_page)).to_contain_text(
        walk.t("The final version is sent to the chairs. Every author gets a receipt.")
    )
    _mail, link = walk.mail(chair.email, PAPER_LINK)  # "uploaded the final version of paper 1"
    chair_page.goto(link)
    chair_page.locator(f"main a[href='{CALL}papers/1/final/check/']").click()
    chair_page.wait_for_url(f"**{CALL}papers/1/final/check/")
    walk.show(chair_page, "chair-final-check")
    chair_page.locator("form:has(input[name=action][value=approve]) button").click()
    expect(walk.success(chair_page)).to_contain_text(walk.written("final approved"))
    walk.move_timeline(chair_page, Edition.Phase.CAMERA_READY, camera_ready_deadline=timezone.now())
    walk.chair_menu(chair_page, "chair/publish/")
    walk.show(chair_page, "chair-publish")
    chair_page.locator(f"button[name=paper][value='{papers[0].pk}']").click()
    expect(walk.success(chair_page)).to_contain_text(walk.t("Published as number %(number)d.", number=1))
    publication = Publication.objects.get(submission=papers[0])
    walk.show(chair_page, "chair-published")
    _mail, link = walk.mail(authors[0].email, re.compile(r"https?://\S+/hub/papers/\d+/\S+/"))
    assert link == live_server.url + publication.get_absolute_url()

    # 6. A visitor finds the paper in the hub and downloads it; a harvester sees it over OAI-PMH.
    visitor = walk.page_for(switcher=True)
    visitor.locator("a.nav-link[href='/hub/']").click()
    visitor.wait_for_url("**/hub/")
    walk.show(visitor, "hub-home")
    visitor.locator("#hub-home-q").fill(SEARCH[language])
    visitor.locator("#hub-home-q").press("Enter")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(walk.written("search"))
    results = visitor.get_by_role("main").get_by_role("article")
    expect(results).to_have_count(1)
    walk.show(visitor, "hub-search")
    results.get_by_role("link", name=publication.title).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(publication.title)
    expect(visitor.get_by_role("main")).to_contain_text(KEY_MESSAGE[language])
    walk.show(visitor, "hub-paper")
    with visitor.expect_download() as download:
        visitor.locator(f"main a[href='/hub/papers/{publication.number}/pdf/?download=1']").click()
    downloaded = download.value.path().read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == hashlib.sha256(final_pdf.read_bytes()).hexdigest()

    harvester = Scythe(live_server.url + "/oai")
    (record,) = harvester.list_records(metadata_prefix="oai_dc", set_="call:sse:2028")
    assert record.metadata["title"] == [publication.title], record.metadata
    assert live_server.url + publication.get_absolute_url() in record.metadata["identifier"], record.metadata
    assert record.metadata["language"] == [language], record.metadata

    # 7. The organiser invites the author to a symposium; she registers from her invitation.
    event = make_event(slug="symposium-2028", mode=Event.Mode.INVITATION, quotas={"Speaker": None})
    Event.objects.filter(pk=event.pk).update(
        kind=Event.Kind.SYMPOSIUM, languages=["en", "fr"],
        title={"en": "Symposium on the social economy", "fr": "Symposium sur l'économie sociale"},
    )  # fmt: skip
    event.participant_types.update(name={"en": "Speaker", "fr": "Intervenant·e"})
    event.organisers.add(chair)
    chair_page.goto(f"{EVENT}organise/invitations/")
    chair_page.locator("#id_add-name").fill(authors[0].name)
    chair_page.locator("#id_add-email").fill(authors[0].email)
    chair_page.locator("#id_add-organisation").fill("Universidad Nacional")
    chair_page.locator("#id_add-participant_type").select_option(str(event.participant_types.get().pk))
    chair_page.locator("form:has(input[name=action][value=add]) button").click()
    expect(walk.success(chair_page)).to_be_visible()
    walk.show(chair_page, "organiser-invitations")
    _mail, link = walk.mail(authors[0].email, EVENT_LINK)
    author_page.goto(link)
    walk.show(author_page, "event-invitation")
    author_page.locator("button[name=accept]").click()
    expect(author_page.get_by_role("heading", level=1)).to_contain_text(
        "Symposium sur l'économie sociale" if language == "fr" else "Symposium on the social economy"
    )
    walk.show(author_page, "event-register")
    author_page.get_by_role("button", name=walk.t("Send my registration")).click()
    expect(walk.success(author_page)).to_be_visible()
    registration = Registration.objects.get(event=event, user=authors[0])
    assert registration.status == Registration.Status.PENDING
    chair_page.goto(f"{EVENT}organise/")
    chair_page.locator(f"main a[href='{EVENT}organise/registrations/{registration.pk}/']").click()
    chair_page.wait_for_url(f"**{EVENT}organise/registrations/{registration.pk}/")
    walk.show(chair_page, "organiser-registration")
    chair_page.locator("button[name=approve]").click()
    expect(walk.success(chair_page)).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED

    def invite_ics():
        for mail in mailbox.mails:
            parts = [p for p in mail.message.walk() if p.get_content_type() == "text/calendar"]
            if authors[0].email in mail.to and parts:
                return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
        return None

    calendar = wait_until(
        invite_ics, timeout=60, message="the confirmation's invite", describe=celery_workers.logs
    )
    assert str(calendar["METHOD"]) == "REQUEST"
    for page in walk.pages:
        page.problems.check()
