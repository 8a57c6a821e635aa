"""Events in the browser: axe (WCAG 2.1 A and AA) on the list, an event's page, the registration form,
a participant's own registration and the organisers' list; registering and cancelling as a participant
does, and approving a request as an organiser does."""

from __future__ import annotations

from events import services
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import sign_in_by_cookie
from tests.events.helpers import make_event
from tests.factories import UserFactory


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
    page.get_by_label("Organisation").fill("EURICSE")
    page.get_by_label("Country").select_option("IT")
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
