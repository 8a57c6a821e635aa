"""Events in the browser: axe (WCAG 2.1 A and AA) on the list, an event's page, the registration form,
a participant's own registration, the organisers' list, the check-in page, the programme and the
participant list; registering and cancelling as a participant does, and approving a request and checking
the person in at the door as an organiser does."""

from __future__ import annotations

import datetime

from events import services
from events.models import Session
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import sign_in_by_cookie
from tests.events.helpers import make_event
from tests.factories import SubmissionFactory, UserFactory


def test_a_participant_registers_and_cancels_and_the_pages_have_no_wcag_violations(page, live_server):
    event = make_event(capacity=10, quotas={"Member agency": 6, "Observer": 4})
    page.goto("/events/")
    page.get_by_role("heading", name="Coming up").wait_for()
    audit(page, "events-list")
    page.get_by_role("link", name="Technical symposium, Trento").click()
    page.get_by_role("heading", name="Practical information").wait_for()
    audit(page, "event-page")

    sign_in_by_cookie(page, live_server, UserFactory(name="Carla Rossi"))
    page.goto("/events/trento-2026/register/")
    audit(page, "event-register")
    page.get_by_label("I take part as").select_option(label="Observer")
    page.locator("#id_organisation").fill("EURICSE")
    page.get_by_label("Country", exact=True).select_option("IT")
    page.get_by_role("button", name="Send my registration").click()
    page.get_by_text("You are registered.").wait_for()
    audit(page, "event-mine")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel my registration").click()
    page.get_by_text("Your registration is cancelled.").wait_for()

    organiser = UserFactory(name="Olga Organiser")
    event.organisers.add(organiser)
    event.mode = event.Mode.APPROVAL
    event.save()
    asking = UserFactory(name="Ben Okoro")
    services.register(event=event, user=asking, participant_type=event.participant_types.first())
    sign_in_by_cookie(page, live_server, organiser)
    page.goto("/events/trento-2026/")
    page.get_by_role("link", name="Registrations (organisers)").click()
    page.get_by_role("heading", name="Registrations").wait_for()
    audit(page, "event-organise")
    page.get_by_role("button", name="Approve Ben Okoro").click()
    page.get_by_text("Ben Okoro: Registered.").wait_for()

    page.goto("/events/trento-2026/organise/check-in/")
    page.get_by_label("Scan a badge, or type a name, e-mail or organisation").fill("Okoro")
    page.keyboard.press("Enter")  # as a scanner ends what it types
    page.get_by_role("heading", name="People matching “Okoro”").wait_for()
    audit(page, "event-check-in")
    page.get_by_role("button", name="Check in Ben Okoro").click()
    page.get_by_text("Checked in: Ben Okoro (Member agency).").wait_for()
    audit(page, "event-check-in-done")


def test_the_programme_and_the_participant_list_have_no_wcag_violations(page, live_server):
    event = make_event(quotas={"Observer": None})
    session = Session.objects.create(
        event=event, title={"en": "Care and the SSE"}, description={"en": "Short talks, then discussion."},
        starts_at=event.starts_at, ends_at=event.starts_at + datetime.timedelta(hours=2), room="Aula 1",
        chairs="Carla Rossi",
    )  # fmt: skip
    session.papers.add(SubmissionFactory(state="accepted", title="Cooperatives and care work", authors=2))
    observer = event.participant_types.get()
    services.register(event=event, user=UserFactory(name="Ben Okoro"), participant_type=observer,
                      organisation="EURICSE", country="IT", listed=True)  # fmt: skip
    page.goto("/events/trento-2026/")
    page.get_by_role("link", name="Programme", exact=True).click()
    page.get_by_role("heading", name="Care and the SSE").wait_for()
    audit(page, "event-programme")
    page.goto("/events/trento-2026/participants/")
    page.get_by_role("cell", name="Ben Okoro").wait_for()
    audit(page, "event-participants")
