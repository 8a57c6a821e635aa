"""The knowledge hub in the browser: axe (WCAG 2.1 A and AA) on its home, a landing page, a tombstone,
the statistics, the chair's publishing page and a paper's correction page; the landing page's PDF link
opens the PDF, and a correction is saved as version 2."""

from __future__ import annotations

from django.utils import timezone

from conference.models import Role, Topic
from hub import services
from hub.models import MonthlyUsage
from submissions.models import Submission
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import make_call, sign_in_by_cookie
from tests.factories import AuthorshipFactory, SubmissionFactory, UserFactory, add_document


def approved(edition, title: str):
    paper = SubmissionFactory(
        edition=edition, title=title, state=Submission.State.CAMERA_READY, authors=0,
        abstract="Cooperative banks lend to social enterprises that ordinary banks turn away.",
        key_messages=["Municipal guarantees unlock cooperative credit."], keywords=["cooperative banks"],
    )  # fmt: skip
    AuthorshipFactory(submission=paper, position=0, name="Ana Núñez", affiliation="Universidad Nacional",
                      country="CO", orcid="0000-0002-1825-0097")  # fmt: skip
    AuthorshipFactory(submission=paper, position=1, name="Kofi Boateng", affiliation="University of Ghana")
    paper.topics.set(Topic.objects.sdgs()[7:9])
    add_document(paper, version=1, kind="final")
    return paper


def test_the_hub_pages_have_no_wcag_violations(page, live_server, celery_workers):
    edition = make_call()
    chair = UserFactory(name="Chiara Chair")
    Role.objects.create(edition=edition, user=chair, kind=Role.Kind.CHAIR)
    published = services.publish(submission=approved(edition, "Solidarity finance in cities"), by=chair)
    gone = services.publish(submission=approved(edition, "A paper published twice"), by=chair)
    services.withdraw(publication=gone, by=chair, reason="The same paper was published twice by mistake.")
    approved(edition, "Care cooperatives in rural Kenya")

    page.goto("/hub/")
    page.get_by_role("heading", name="Latest papers").wait_for()
    audit(page, "hub-home")
    page.get_by_role("searchbox").fill("cooperative banks")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="Narrow down").wait_for()
    audit(page, "hub-search")
    page.get_by_role("link", name="Solidarity finance in cities").click()
    page.get_by_role("heading", name="Cite as").wait_for()
    audit(page, "hub-paper")
    # Headless Chromium downloads a PDF instead of showing it: the link is followed by hand.
    pdf = page.request.get(
        live_server.url + page.get_by_role("link", name="Read the PDF").get_attribute("href")
    )
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.goto("/hub/policy/sdg/8/")
    page.get_by_text("Municipal guarantees unlock cooperative credit.").wait_for()
    audit(page, "hub-policy")
    response = page.goto(gone.get_absolute_url())
    assert response.status == 410
    audit(page, "hub-withdrawn")
    # Headless Chromium is a robot to the statistics: the readers here are made up.
    this_month = timezone.localdate().replace(day=1)
    MonthlyUsage.objects.create(publication=published, month=this_month, views=12, downloads=4)
    page.goto("/hub/statistics/")
    page.get_by_role("link", name="Solidarity finance in cities").wait_for()
    audit(page, "hub-statistics")

    sign_in_by_cookie(page, live_server, chair)
    page.goto(f"/calls/{edition.series.slug}/{edition.year}/chair/publish/")
    page.get_by_role("heading", name="Ready to publish").wait_for()
    audit(page, "hub-chair-publish")
    page.get_by_role("link", name=f"Correct or withdraw paper {published.number}").click()
    page.get_by_role("heading", name="Withdraw").wait_for()
    audit(page, "hub-chair-manage")
    page.get_by_label("What changed").fill("A typo in the abstract.")
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("Saved as version 2").wait_for()
    assert published.number == 1
