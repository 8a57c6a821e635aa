"""Reviewing in the browser: axe (WCAG 2.1 A and AA) on every review page with realistic data, a reviewer
who reviews with the keyboard only, and a chair who has a real Celery worker compute an automatic
assignment, watches the page update itself, applies the proposal and finds it on the board.

Every test takes the `celery_workers` fixture: taking a role or submitting a paper queues a conflict
check, and the fixture gives each test its own queue, purged at the end. Only the chair's flow starts
a worker (the live server sends tasks to Redis: CELERY_TASK_ALWAYS_EAGER is off when a broker is set).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conference.models import Edition, Role, Topic
from reviews import conflicts, decisions, release, services
from reviews.auto_assign import apply_run, build_run
from reviews.models import (
    Assignment,
    AssignmentRun,
    Bid,
    Review,
    ReviewerPaper,
    ReviewerProfile,
    ReviewSettings,
)
from reviews.review_forms import review_form_for
from submissions.models import Answer, Conflict
from tests.e2e.helpers import field, screenshot
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import make_call, sign_in_by_cookie
from tests.factories import AuthorshipFactory, OrganisationFactory, SubmissionFactory, UserFactory

REVIEW = "/calls/sse/2028/review/"
CHAIR = "/calls/sse/2028/chair/"

PAPERS = [
    ("Solidarity finance in cities", "en",
     "How cooperative banks lend to social enterprises in three European cities.", [7, 10]),
    ("Care cooperatives in rural Kenya", "en",
     "Who cares for the elderly when the state does not: member-owned care cooperatives in two counties.",
     [2, 4]),
    ("Platform cooperatives and decent work", "en",
     "Riders and cleaners who own their platforms: pay, hours and voice compared with gig companies.",
     [7, 8]),
    ("Les coopératives d'habitants à Genève", "fr",
     "Comment les coopératives d'habitants financent et gèrent des logements abordables.", [10, 11]),
]  # fmt: skip


def review_call(*, reviews_per_paper: int = 2) -> Edition:
    """The open call of test_submission.py (type, track, a yes/no question), reviewed double-blind."""
    edition = make_call()
    edition.reviews_per_paper = reviews_per_paper
    edition.blind_mode = Edition.BlindMode.DOUBLE
    edition.save(update_fields=["reviews_per_paper", "blind_mode"])
    return edition


def person(edition: Edition, kind: str, name: str, email: str):
    user = UserFactory(name=name, email=email)
    Role.objects.create(edition=edition, user=user, kind=kind)
    return user


def make_papers(edition: Edition) -> list:
    """Four submitted papers, numbered 1 to 4, each with two authors, two SDGs, a PDF and an answer."""
    sdgs = list(Topic.objects.sdgs())
    question = edition.questions.get()
    papers = []
    for number, (title, language, abstract, goals) in enumerate(PAPERS, 1):
        paper = SubmissionFactory(
            edition=edition, number=number, title=title, language=language, abstract=abstract, authors=2,
            document=True,
        )  # fmt: skip
        paper.topics.set(sdgs[goal - 1] for goal in goals)
        Answer.objects.create(submission=paper, question=question, value=number % 2 == 0)
        papers.append(paper)
    return papers


def profile(edition: Edition, user, *, expertise: str, goals: list[int], max_load: int = 4, own: str = ""):
    sdgs = list(Topic.objects.sdgs())
    made = ReviewerProfile.objects.create(
        edition=edition, user=user, expertise=expertise, languages=["en", "fr"], max_load=max_load
    )
    made.topics.set(sdgs[goal - 1] for goal in goals)
    if own:
        ReviewerPaper.objects.create(profile=made, title=own, abstract=expertise)
    return made


def full_review(edition: Edition, *, point: int = 4) -> dict:
    return {
        "scores": {str(c.pk): point for c in review_form_for(edition).criteria.all()},
        "recommendation": "weak_accept", "confidence": 3,
        "comments_to_authors": "A careful study; the sample of cities could be explained better.",
        "confidential_comments": "",
    }  # fmt: skip


# --- The reviewer's pages -------------------------------------------------------------------------


def test_the_reviewers_pages_have_no_wcag_violations(page, live_server, celery_workers):
    edition = review_call()
    chair = person(edition, Role.Kind.CHAIR, "Chiara Chair", "chiara@ilo.org")
    giulia = person(edition, Role.Kind.REVIEWER, "Giulia Rossi", "giulia@euricse.example")
    sign_in_by_cookie(page, live_server, giulia)

    # Before the call closes: nothing to review, nothing to bid on, a profile to fill in.
    page.goto(REVIEW)
    page.get_by_text("No papers have been given to you yet.").wait_for()
    audit(page, "review-assignments-empty")
    page.goto(REVIEW + "bids/")
    page.get_by_text("There are no papers to bid on yet.").wait_for()
    audit(page, "review-bids-empty")
    page.goto(REVIEW + "profile/")
    audit(page, "review-profile")
    page.get_by_role("checkbox", name="English").uncheck()  # no language left
    field(page, "At most this many papers").fill("2")
    field(page, "At least this many papers").fill("5")
    new_paper = page.get_by_role("group", name="Add a paper")
    field(new_paper, "Abstract").fill("An abstract without its title.")
    page.get_by_role("button", name="Save and go to the bids").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "review-profile-errors")

    # The papers are in: Giulia bids, and the chair gives her four of them.
    papers = make_papers(edition)
    Bid.objects.create(submission=papers[0], reviewer=giulia, value=Bid.Value.EAGER)
    Bid.objects.create(submission=papers[2], reviewer=giulia, value=Bid.Value.NOT_WILLING)
    page.goto(REVIEW + "bids/")
    page.get_by_role("radiogroup", name="Your bid for paper 1").wait_for()
    audit(page, "review-bids")
    assignments = [services.assign(submission=paper, reviewer=giulia, by=chair) for paper in papers]

    page.goto(REVIEW + "papers/1/")
    page.get_by_role("button", name="Submit the review").wait_for()
    audit(page, "review-paper")
    page.get_by_role("button", name="Submit the review").click()  # nothing filled in
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "review-paper-errors")

    page.get_by_role("radio", name="Weak accept").check()
    field(page, "Comments to the authors").fill("Half a thought on the sample of cities.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft is saved.")
    audit(page, "review-paper-draft")

    services.save_review(
        assignment=assignments[1], by=giulia, data=full_review(edition), submit=True, revision=None
    )
    page.goto(REVIEW + "papers/2/")
    page.get_by_role("button", name="Save the changes").wait_for()
    audit(page, "review-paper-submitted")

    # One review late, one not started: every badge of the list.
    late = services.save_review(
        assignment=assignments[3], by=giulia, data=full_review(edition, point=2), submit=True, revision=None
    )
    Review.objects.filter(pk=late.pk).update(late=True)
    page.goto(REVIEW)
    page.get_by_role("table").wait_for()
    audit(page, "review-assignments")


# --- The chair's pages ----------------------------------------------------------------------------


def chair_world():
    """A call with four papers, three reviewers with profiles and bids, and conflicts of every sort."""
    edition = review_call()
    chair = person(edition, Role.Kind.CHAIR, "Chiara Chair", "chiara@ilo.org")
    giulia = person(edition, Role.Kind.REVIEWER, "Giulia Rossi", "giulia@euricse.example")
    amina = person(edition, Role.Kind.REVIEWER, "Amina Wanjiru", "amina@uonbi.example")
    lucas = person(edition, Role.Kind.REVIEWER, "Lucas Moreau", "lucas@unige.example")
    profile(edition, giulia, expertise="Cooperative banks and credit unions in Italy.", goals=[8, 10],
            own="Credit unions and small firms")  # fmt: skip
    profile(
        edition, amina, expertise="Care work, elderly care and cooperatives in East Africa.", goals=[3, 5]
    )
    profile(edition, lucas, expertise="Housing cooperatives and urban policy in Switzerland.", goals=[11])
    papers = make_papers(edition)
    Bid.objects.create(submission=papers[0], reviewer=giulia, value=Bid.Value.EAGER)
    Bid.objects.create(submission=papers[1], reviewer=amina, value=Bid.Value.EAGER)
    Bid.objects.create(submission=papers[3], reviewer=lucas, value=Bid.Value.WILLING)
    return edition, chair, [giulia, amina, lucas], papers


def test_the_chairs_review_pages_have_no_wcag_violations(page, live_server, celery_workers):
    edition, chair, (giulia, amina, lucas), papers = chair_world()
    # A co-author of paper 3 works where Giulia does: a conflict the detection finds.
    AuthorshipFactory(submission=papers[2], position=2, name="Paolo Bianchi", email="paolo@euricse.example")
    conflicts.detect_conflicts(edition=edition)
    conflicts.add_conflict(submission=papers[1], user=lucas, reason="Supervised the first author.", by=chair)
    declared = Conflict.objects.create(
        submission=papers[3], kind=Conflict.Kind.DECLARED_BY_AUTHOR, email="former.head@unige.example",
        reason="Former head of department.",
    )  # fmt: skip
    Conflict.objects.create(
        submission=papers[0], kind=Conflict.Kind.DECLARED_BY_AUTHOR, reason="Our funder.",
        organisation=OrganisationFactory(name="Solidarity Fund", acronym="SOLFUND"),
    )  # fmt: skip
    assert Conflict.objects.filter(kind=Conflict.Kind.SAME_DOMAIN, user=giulia).exists()
    sign_in_by_cookie(page, live_server, chair)

    page.goto(CHAIR + "review/conflicts/")
    page.get_by_role("table").wait_for()
    audit(page, "review-chair-conflicts")
    row = page.get_by_role("row").filter(has_text="former.head@unige.example")
    field(row, "Why it does not hold").fill("They left the department in 2019.")
    row.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_role("status")).to_contain_text("The conflict is dismissed")
    expect(row).to_contain_text("Dismissed by Chiara Chair")
    declared.refresh_from_db()
    assert declared.dismissed_by == chair and declared.dismissal_reason == "They left the department in 2019."
    audit(page, "review-chair-conflicts-dismissed")
    field(page, "Paper number").fill("99")
    field(page, "Person's e-mail address").fill("nobody@nowhere.example")
    field(page, "Reason").fill("Same project.")
    page.get_by_role("button", name="Add the conflict").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "review-chair-conflicts-errors")

    # A run computed here (in this process) and previewed, then applied.
    ready = AssignmentRun.objects.create(edition=edition, requested_by=chair)
    build_run(run_id=ready.pk)
    ready.refresh_from_db()
    assert ready.state == AssignmentRun.State.READY, ready.error
    page.goto(CHAIR + f"review/automatic/{ready.pk}/")
    page.get_by_role("button", name=re.compile(r"Apply \d+ new assignments")).wait_for()
    audit(page, "review-chair-run-ready")
    apply_run(run=ready, by=chair)
    page.goto(CHAIR + f"review/automatic/{ready.pk}/")
    page.get_by_role("table").wait_for()
    audit(page, "review-chair-run-applied")

    # Five reviews a paper from three reviewers: no assignment exists, and the page says why.
    Edition.objects.filter(pk=edition.pk).update(reviews_per_paper=5)
    infeasible = AssignmentRun.objects.create(edition=edition, requested_by=chair)
    build_run(run_id=infeasible.pk)
    Edition.objects.filter(pk=edition.pk).update(reviews_per_paper=2)
    infeasible.refresh_from_db()
    assert infeasible.state == AssignmentRun.State.INFEASIBLE and infeasible.reasons, infeasible.error
    page.goto(CHAIR + f"review/automatic/{infeasible.pk}/")
    page.get_by_text("No assignment meets every rule.").wait_for()
    audit(page, "review-chair-run-infeasible")

    running = AssignmentRun.objects.create(
        edition=edition, requested_by=chair, state=AssignmentRun.State.RUNNING, progress=60, stage="solving"
    )
    page.goto(CHAIR + f"review/automatic/{running.pk}/")
    page.get_by_role("progressbar").wait_for()
    audit(page, "review-chair-run-running")

    page.goto(CHAIR + "review/automatic/")
    page.get_by_role("heading", name="Your earlier runs").wait_for()
    audit(page, "review-chair-automatic")

    # The board: automatic assignments, a locked one made by hand, a review done, a paper declined.
    Assignment.objects.filter(submission=papers[0], reviewer=lucas).delete()
    services.assign(submission=papers[0], reviewer=lucas, by=chair, locked=True)
    done = Assignment.objects.filter(submission=papers[1], state=Assignment.State.ASSIGNED).first()
    services.save_review(
        assignment=done, by=done.reviewer, data=full_review(edition), submit=True, revision=None
    )
    declining = Assignment.objects.filter(submission=papers[3], state=Assignment.State.ASSIGNED).first()
    services.decline(assignment=declining, by=declining.reviewer, reason="I am travelling all of March.")
    page.goto(CHAIR + "review/assignments/")
    page.get_by_text("declined: I am travelling all of March.").wait_for()
    audit(page, "review-chair-assignments")

    page.goto(CHAIR)
    page.get_by_role("heading", name="Reviews").wait_for()
    audit(page, "review-chair-dashboard")

    # The review form (reviews exist: the locked variant), then with an error.
    page.goto(CHAIR + "review/form/")
    page.get_by_text("Reviews are being written").wait_for()
    audit(page, "review-chair-form")
    page.get_by_label("Scale").first.fill("Only one point")
    page.get_by_role("button", name="Save the review form").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "review-chair-form-errors")

    page.goto(CHAIR + "review/settings/")
    page.get_by_role("heading", name="Closing reviewing").wait_for()
    audit(page, "review-chair-settings")

    # The committee's ranking, calibrated, with a vote, a lead and a decision on paper 2.
    ReviewSettings.objects.filter(edition=edition).update(calibration=True)
    member = person(edition, Role.Kind.COMMITTEE, "Kofi Mensah", "kofi@uonbi.example")
    decisions.vote(submission=papers[1], by=member, value="accept", comment="Careful fieldwork.")
    decisions.set_lead(submission=papers[1], lead=member, by=chair)
    decisions.write_meta_review(submission=papers[1], by=member, text="Both reviews favour acceptance.")
    page.goto("/calls/sse/2028/committee/ranking/")
    page.get_by_role("button", name="Record the decisions").wait_for()
    audit(page, "decisions-ranking")
    page.get_by_role("link", name=re.compile(re.escape(papers[1].title))).click()
    page.get_by_role("combobox", name="Decision").select_option(label="Accept as poster")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("The decision is recorded")
    audit(page, "decisions-paper")

    page.goto("/calls/sse/2028/chair/decisions/outcomes/")
    page.get_by_role("button", name="Save the outcomes").wait_for()
    audit(page, "decisions-outcomes")

    # The mails per outcome (with a mistake), the preview, the sending and its result.
    page.goto("/calls/sse/2028/chair/decisions/mails/")
    page.get_by_role("button", name="Save the mail").wait_for()
    audit(page, "decisions-mails")
    page.get_by_label("Subject").fill("Your paper {nmber}")
    page.get_by_role("button", name="Save the mail").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "decisions-mails-errors")
    page.goto("/calls/sse/2028/chair/decisions/release/")
    page.get_by_role("button", name="Send 1 decision").wait_for()
    audit(page, "decisions-release")
    release.run_release(release.start_release(edition=edition, by=chair).pk)  # the worker's part, here
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("1 of 1 decisions sent.")
    audit(page, "decisions-release-done")

    page.goto("/calls/sse/2028/chair/decisions/group-mail/")
    page.get_by_label("The committee and the chairs").check()
    page.get_by_label("Subject").fill("Committee meeting for {edition}")
    page.get_by_label("Text").fill("Dear {name},\n\nWe meet on Monday. The ranking: {link}")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name=re.compile(r"Send to \d+ people")).wait_for()
    audit(page, "decisions-group-mail")

    # The author reads the decision and the comments.
    author = UserFactory(name="Wanjiru Author")
    papers[1].authorships.filter(position=0).update(user=author, email=author.email)
    sign_in_by_cookie(page, live_server, author)
    page.goto(f"/calls/sse/2028/papers/{papers[1].number}/decision/")
    page.get_by_role("heading", name="Comments from the reviewers").wait_for()
    audit(page, "decisions-author")
    sign_in_by_cookie(page, live_server, chair)

    # The paper manager's page: a committee member stands in for the chair on paper 3.
    manager = person(edition, Role.Kind.COMMITTEE, "Maya Manager", "maya@ripess.example")
    Edition.objects.filter(pk=edition.pk).update(paper_manager=manager)
    conflicts.add_conflict(
        submission=papers[2], user=chair, reason="Co-wrote a report with the authors.", by=manager
    )
    sign_in_by_cookie(page, live_server, manager)
    page.goto("/calls/sse/2028/manage/")
    page.get_by_role("table").wait_for()
    audit(page, "review-paper-manager")


# --- Flows ----------------------------------------------------------------------------------------

COMMENTS = "A clear question and careful fieldwork; say more on how the three cities were chosen."
CONFIDENTIAL = "I reviewed an earlier version for a workshop."


def tab_until(page, condition: str, *, what: str, limit: int = 80) -> None:
    """Press Tab until `condition` (JavaScript, on the focused element `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return Boolean({condition}); }}"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {what}")


def choose_in_radio_group(page, position: int) -> None:
    """The focus is on the first radio of a group that has none checked: pick the `position`th (from 1)."""
    if position == 1:
        page.keyboard.press("Space")
    for _ in range(position - 1):
        page.keyboard.press("ArrowDown")  # moves to the next radio and checks it


def test_a_reviewer_reviews_a_paper_with_the_keyboard_only(page, live_server, celery_workers):
    edition = review_call()
    chair = person(edition, Role.Kind.CHAIR, "Chiara Chair", "chiara@ilo.org")
    giulia = person(edition, Role.Kind.REVIEWER, "Giulia Rossi", "giulia@euricse.example")
    papers = make_papers(edition)
    assignment = services.assign(submission=papers[0], reviewer=giulia, by=chair)
    criteria = list(review_form_for(edition).criteria.all())
    scores = [5, 4, 3, 4, 2, 5][: len(criteria)]
    sign_in_by_cookie(page, live_server, giulia)

    page.goto(REVIEW)
    tab_until(page, f"el.textContent.trim() === {PAPERS[0][0]!r}", what="the paper's link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"1. {PAPERS[0][0]}")

    tab_until(page, f"el.name === 'c{criteria[0].pk}'", what="the first criterion")
    for criterion, point in zip(criteria, scores, strict=True):
        assert page.evaluate("() => document.activeElement.name") == f"c{criterion.pk}"
        choose_in_radio_group(page, point)
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "recommendation"
    choose_in_radio_group(page, 2)  # Accept
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "confidence"
    choose_in_radio_group(page, 4)  # Sure
    page.keyboard.press("Tab")
    page.keyboard.type(COMMENTS)
    page.keyboard.press("Tab")
    page.keyboard.type(CONFIDENTIAL)
    expect(page.get_by_role("radio", name="Accept", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="4 – Sure")).to_be_checked()
    expect(field(page, "Comments to the authors")).to_have_value(COMMENTS)
    screenshot(page, "review-keyboard-filled")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Submit the review")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Your review is submitted.")
    expect(page.get_by_role("button", name="Save the changes")).to_be_visible()
    screenshot(page, "review-keyboard-submitted")
    review = Review.objects.get(assignment=assignment)
    assert review.state == Review.State.SUBMITTED and not review.late
    assert review.scores == {str(c.pk): point for c, point in zip(criteria, scores, strict=True)}
    assert (review.recommendation, review.confidence) == (Review.Recommendation.ACCEPT, 4)
    assert (review.comments_to_authors, review.confidential_comments) == (COMMENTS, CONFIDENTIAL)


def test_a_chair_computes_an_automatic_assignment_with_a_worker_and_applies_it(
    page, live_server, celery_workers
):
    edition, chair, reviewers, papers = chair_world()
    sign_in_by_cookie(page, live_server, chair)

    page.goto(CHAIR)
    menu = page.get_by_role("navigation", name="Chair pages")
    menu.get_by_role("link", name="Automatic assignment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Automatic assignment")
    page.get_by_role("button", name="Compute a proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposal")
    progress = page.locator("#run-progress")
    # No worker yet: the run waits in the queue, and the page says so.
    expect(progress).to_contain_text("Waiting to start")
    expect(progress.get_by_role("progressbar")).to_be_visible()
    expect(progress.get_by_role("status")).to_have_text("0 % done.")
    run = AssignmentRun.objects.get(edition=edition)
    page.evaluate("() => { window.notReloaded = true; }")

    # A worker starts; the page fetches itself every 2 seconds until the proposal is there.
    celery_workers.start(concurrency=1)
    apply = page.get_by_role("button", name="Apply 8 new assignments")
    expect(apply).to_be_visible(timeout=20_000)
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded, not refreshed in place"
    run.refresh_from_db()
    assert run.state == AssignmentRun.State.READY, (run.state, run.error, celery_workers.logs())
    expect(progress).to_contain_text("Ready to review")
    expect(progress.get_by_role("status")).to_have_text("100 % done.")
    expect(progress.get_by_role("table", name="Proposed reviewers of each paper")).to_be_visible()
    screenshot(page, "review-flow-proposal")
    apply.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reviewers and assignments")
    expect(page.get_by_role("status")).to_contain_text("8 assignments made; 0 skipped")
    screenshot(page, "review-flow-board")
    proposed = {(row["paper"], row["reviewer"]) for row in run.proposal}
    made = set(Assignment.objects.filter(automatic=True).values_list("submission_id", "reviewer_id"))
    assert made == proposed and len(made) == 8
    names = {reviewer.pk: reviewer.name for reviewer in reviewers}
    coverage = page.get_by_role("table", name="Reviewers of each paper")
    for paper in papers:
        row = coverage.get_by_role("row").filter(has=page.get_by_role("link", name=paper.title))
        for paper_pk, reviewer_pk in proposed:
            if paper_pk == paper.pk:
                expect(row.get_by_role("cell").nth(2)).to_contain_text(names[reviewer_pk])
        expect(row).not_to_contain_text("missing")
