"""WCAG 2.1 A and AA checks with axe-core on the pages a visitor and a signed-in person see.

axe-core is vendored in tests/e2e/vendor/ (see its README), so the tests need no network.
A violation is fixed in the templates or the CSS, never by switching a rule off here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.e2e.helpers import PASSWORD, field, screenshot

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def audit(page, name: str) -> None:
    """Screenshot the page, run axe on it as it is now, and fail listing every violation and node."""
    screenshot(page, name)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        WCAG_TAGS,
    )
    violations = results["violations"]
    lines = [f"{len(violations)} WCAG violation(s) on {name} ({page.url}):"]
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' > '.join(map(str, node['target']))}")
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    assert not violations, "\n".join(lines)


VISITOR_PAGES = {
    "home": "/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "not-found": "/no/such/page/",
    "help": "/help/",
    **{
        f"help-{role}": f"/help/{role}/"
        for role in ["visitor", "author", "reviewer", "committee", "chair", "participant", "organiser"]
    },
}


@pytest.mark.parametrize(("name", "path"), VISITOR_PAGES.items(), ids=VISITOR_PAGES.keys())
def test_visitor_pages_have_no_wcag_violations(page, name, path):
    response = page.goto(path)
    assert response.status == (404 if name == "not-found" else 200)
    audit(page, f"a11y-{name}")


def test_forms_with_errors_have_no_wcag_violations(page):
    """Error messages are where labels and descriptions usually break."""
    page.goto(VISITOR_PAGES["signup"])
    field(page, "Email").fill("ada@example.org")
    field(page, "Full name").fill("Ada Lovelace")
    field(page, "Password").fill("short")
    field(page, "Password (again)").fill("different")
    page.get_by_role("button", name="Sign Up").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "a11y-signup-errors")

    page.goto(VISITOR_PAGES["login"])
    field(page, "Email").fill("nobody@example.org")
    field(page, "Password").fill("wrong-password-123")
    page.get_by_role("button", name="Sign In").click()
    page.locator(".alert-danger").wait_for()
    audit(page, "a11y-login-errors")


@pytest.fixture
def signed_in_page(page, live_server):
    """A verified user, signed in by a session cookie (fast), so pages needing a recent sign-in ask again."""
    user = User.objects.create_user("ada@example.org", PASSWORD, name="Ada Lovelace")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])
    page.user = user
    return page


SIGNED_IN_PAGES = {
    "profile": "/profile/",
    "email": "/accounts/email/",
    "two-factor": "/accounts/2fa/",
    "my-calls": "/calls/mine/",
    "my-registrations": "/events/my-registrations/",
}


@pytest.mark.parametrize(("name", "path"), SIGNED_IN_PAGES.items(), ids=SIGNED_IN_PAGES.keys())
def test_signed_in_pages_have_no_wcag_violations(signed_in_page, name, path):
    page = signed_in_page
    response = page.goto(path)
    assert response.status == 200
    assert page.url.endswith(path), f"expected {path}, landed on {page.url}"
    audit(page, f"a11y-{name}")


def test_delete_account_confirmation_has_no_wcag_violations(signed_in_page):
    page = signed_in_page
    page.goto("/profile/delete/")
    if "/accounts/reauthenticate/" in page.url:
        # Deleting an account asks for the password again unless the person signed in moments ago.
        audit(page, "a11y-reauthenticate")
        field(page, "Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/profile/delete/")
    assert page.get_by_role("heading", level=1).inner_text() == "Delete your account"
    audit(page, "a11y-delete-account")


def test_two_factor_set_up_page_has_no_wcag_violations(signed_in_page):
    """Staff are sent here before anything else: it must work for everyone."""
    page = signed_in_page
    page.goto("/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:
        field(page, "Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", level=1).inner_text() == "Activate Authenticator App"
    audit(page, "a11y-two-factor-activate")


@pytest.fixture
def open_call(live_server):
    from conference.demo_data import seed_series
    from conference.models import Edition

    seed_series()
    return Edition.objects.get(year=2028)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_call_pages_have_no_wcag_violations(page, open_call, language):
    page.goto("/")
    page.select_option("#language-select", language)
    page.locator(".language-switcher button").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language
    audit(page, f"a11y-home-calls-{language}")
    page.goto(open_call.series.get_absolute_url())
    audit(page, f"a11y-series-{language}")
    page.goto(open_call.get_absolute_url())
    assert page.locator("#countdown").is_visible()
    audit(page, f"a11y-call-{language}")
    page.select_option("#tz", "Europe/Paris")
    page.locator("#zone-form button").click()
    page.wait_for_url("**tz=Europe%2FParis**")
    audit(page, f"a11y-call-paris-{language}")


def test_chair_pages_and_the_invitation_page_have_no_wcag_violations(signed_in_page, open_call):
    from conference import invitations
    from conference.models import Role

    page = signed_in_page
    Role.objects.create(edition=open_call, user=page.user, kind=Role.Kind.CHAIR)
    invitation = invitations.invite(
        edition=open_call, email="guest@ilo.org", kind=Role.Kind.REVIEWER, by=page.user, message="Join us."
    )
    base = f"/calls/{open_call.series.slug}/{open_call.year}/chair/"
    page.goto(base)
    audit(page, "a11y-chair-dashboard")
    page.goto(base + "people/")
    audit(page, "a11y-chair-people")
    field(page, "E-mail address").fill("not-an-address")
    page.get_by_role("button", name="Send the invitation").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "a11y-chair-people-errors")
    page.goto(base + "setup/")
    audit(page, "a11y-chair-setup")
    page.goto(base + "settings/")
    audit(page, "a11y-chair-settings")
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_load_state("load")
    audit(page, "a11y-chair-settings-saved")
    page.goto(invitation.get_absolute_url())
    audit(page, "a11y-invitation-signed-in")
    page.context.clear_cookies()
    page.goto(invitation.get_absolute_url())
    audit(page, "a11y-invitation-visitor")
    invitations.revoke(invitation=invitation)
    page.goto(invitation.get_absolute_url())
    audit(page, "a11y-invitation-withdrawn")


# --- Papers: the author's form and pages, the claim page, the chair's list ------------------------

STEPS = ["type", "paper", "authors", "topics", "questions", "conflicts", "file"]


@pytest.fixture
def paper_call(live_server, celery_workers):
    """An open call where every step of the form is there. No worker is started: the mails that the
    services queue stay in this test's own Celery queue, purged at the end."""
    from tests.e2e.test_submission import make_call

    return make_call()


def make_paper(edition, user, *, title="Solidarity finance in cities", coauthor=None, submit=False):
    """A complete draft (every part, the required question answered), through the services the form uses;
    `coauthor`, a (name, e-mail) pair, is invited to claim it; with `submit`, the paper is submitted."""
    from submissions import services
    from submissions.models import Answer, Authorship
    from tests.submissions.conftest import complete_draft

    submission = complete_draft(edition, user, title=title)

    def finish(locked):
        Answer.objects.create(submission=locked, question=edition.questions.get(), value=True)
        locked.keywords = ["cooperatives", "credit"]
        if coauthor:
            name, email = coauthor
            invited = Authorship.objects.create(submission=locked, position=1, name=name, email=email)
            services.invite_coauthor(invited)

    services.change_submission(submission=submission, by=user, revision=None, change=finish)
    if submit:
        services.submit(submission=submission, by=user)
    submission.refresh_from_db()
    return submission


@pytest.mark.parametrize("step", STEPS)
def test_each_step_of_the_paper_form_has_no_wcag_violations(signed_in_page, paper_call, step):
    page = signed_in_page
    paper = make_paper(paper_call, page.user, coauthor=("Ben Coauthor", "ben@coop.example"))
    response = page.goto(paper.url("step", step))
    assert response.status == 200 and page.url.endswith(paper.url("step", step))
    audit(page, f"a11y-submission-step-{step}")


def test_the_paper_form_with_errors_has_no_wcag_violations(signed_in_page, paper_call, tmp_path):
    """Each kind of error: a field's, a group of radios or boxes, the author rows', a refused file."""
    from PIL import Image

    from submissions import services

    page = signed_in_page
    draft = services.start_draft(edition=paper_call, by=page.user)
    page.goto(draft.url("step", "type"))
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "a11y-submission-type-errors")

    page.goto(draft.url("step", "paper"))
    field(page, "Abstract").fill("word " * (paper_call.abstract_word_limit + 1))
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".invalid-feedback").first.wait_for()
    audit(page, "a11y-submission-paper-errors")

    page.goto(draft.url("step", "authors"))
    new_author = page.get_by_role("group", name="Add an author")
    field(new_author, "Name").fill("Ben Coauthor")
    field(new_author, "E-mail address").fill(page.user.email)  # the same address twice
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("main").get_by_role("alert").wait_for()
    audit(page, "a11y-submission-authors-errors")

    for step in ["topics", "questions"]:
        page.goto(draft.url("step", step))
        page.get_by_role("button", name="Save and continue").click()
        page.locator(".invalid-feedback").first.wait_for()
        audit(page, f"a11y-submission-{step}-errors")

    png = tmp_path / "paper.pdf"
    Image.new("RGB", (60, 40), (29, 78, 137)).save(png, format="PNG")
    page.goto(draft.url("step", "file"))
    field(page, "Paper (PDF)").set_input_files(png)
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_text("This file is not a PDF").wait_for()
    audit(page, "a11y-submission-file-refused")


def test_starting_and_checking_a_paper_have_no_wcag_violations(signed_in_page, paper_call):
    from submissions import services

    page = signed_in_page
    complete = make_paper(paper_call, page.user, coauthor=("Ben Coauthor", "ben@coop.example"))
    page.goto(f"/calls/{paper_call.series.slug}/{paper_call.year}/submit/")  # with the draft listed
    audit(page, "a11y-submission-new")
    page.goto(complete.url("confirm"))
    page.get_by_role("button", name="Submit the paper").wait_for()
    audit(page, "a11y-submission-check")

    incomplete = services.start_draft(edition=paper_call, by=page.user)
    page.goto(incomplete.url("confirm"))
    page.get_by_text("Before you can submit").wait_for()
    audit(page, "a11y-submission-check-incomplete")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Paper 2").click()
    page.get_by_text("This is a draft").wait_for()
    audit(page, "a11y-paper-draft-author")


def test_the_authors_paper_pages_have_no_wcag_violations(signed_in_page, paper_call):
    from submissions import services
    from tests.submissions.conftest import pdf_upload

    page = signed_in_page
    paper = make_paper(paper_call, page.user, coauthor=("Ben Coauthor", "ben@coop.example"), submit=True)
    services.upload_document(submission=paper, by=page.user, upload=pdf_upload("v2.pdf", title="Two"))
    page.goto(paper.get_absolute_url())
    page.get_by_role("heading", name="All versions of the PDF").wait_for()
    audit(page, "a11y-paper-author")
    page.goto(paper.url("confirm"))
    audit(page, "a11y-submission-check-submitted")
    page.goto("/calls/papers/")
    page.get_by_role("table").wait_for()
    audit(page, "a11y-my-papers")
    page.goto(paper.url("withdraw"))
    assert page.get_by_role("heading", level=1).inner_text() == "Withdraw the paper"
    audit(page, "a11y-paper-withdraw")


def test_my_papers_without_papers_has_no_wcag_violations(signed_in_page):
    page = signed_in_page
    page.goto("/calls/papers/")
    page.get_by_text("You have no papers yet.").wait_for()
    audit(page, "a11y-my-papers-empty")


def test_the_claim_page_has_no_wcag_violations(page, paper_call):
    from submissions.models import Authorship

    author = User.objects.create_user("bea@example.org", PASSWORD, name="Bea Author")
    paper = make_paper(paper_call, author, coauthor=("Ben Coauthor", "ben@coop.example"))
    invited = Authorship.objects.get(submission=paper, email="ben@coop.example")
    page.goto(invited.get_claim_url())
    page.get_by_role("main").get_by_role("link", name="Sign in").wait_for()
    audit(page, "a11y-claim-visitor")
    page.goto("/calls/papers/claim/no-such-token/")
    page.get_by_text("This link has already been used").wait_for()
    audit(page, "a11y-claim-used")


def test_the_chairs_paper_pages_have_no_wcag_violations(signed_in_page, paper_call):
    from conference.models import Role
    from submissions.models import Archive

    page = signed_in_page
    Role.objects.create(edition=paper_call, user=page.user, kind=Role.Kind.CHAIR)
    author = User.objects.create_user("bea@example.org", PASSWORD, name="Bea Author")
    paper = make_paper(paper_call, author, coauthor=("Ben Coauthor", "ben@coop.example"), submit=True)
    make_paper(paper_call, author, title="Care work and cooperatives", submit=True)
    page.goto(paper.get_absolute_url())
    page.get_by_role("link", name="Reject without review").wait_for()
    audit(page, "a11y-paper-chair")

    base = f"/calls/{paper_call.series.slug}/{paper_call.year}/chair/submissions/"
    page.goto(base)
    page.get_by_role("table").wait_for()
    audit(page, "a11y-chair-submissions")
    page.goto(base + "?q=nothing-matches-this")
    page.get_by_text("No submissions match these filters.").wait_for()
    audit(page, "a11y-chair-submissions-none")
    for state in [Archive.State.DONE, Archive.State.FAILED]:
        page.goto(archive_page(paper_call, page.user, state))
        audit(page, f"a11y-chair-archive-{state}")


def archive_page(edition, user, state) -> str:
    """The page of a ZIP in `state`, made directly: no worker builds it here (tests/integration's job)."""
    from submissions.models import Archive

    done = 2 if state == Archive.State.DONE else 1
    archive = Archive.objects.create(edition=edition, requested_by=user, state=state, total=2, done=done)
    return f"/calls/{edition.series.slug}/{edition.year}/chair/submissions/archive/{archive.pk}/"


@pytest.mark.parametrize("state", ["queued", "running"])
def test_the_archive_page_while_the_zip_is_built_has_no_wcag_violations(signed_in_page, paper_call, state):
    from conference.models import Role

    page = signed_in_page
    Role.objects.create(edition=paper_call, user=page.user, kind=Role.Kind.CHAIR)
    page.goto(archive_page(paper_call, page.user, state))
    audit(page, f"a11y-chair-archive-{state}")
