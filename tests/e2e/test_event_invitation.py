"""By invitation, end to end: an organiser invites someone in the browser, the invitation arrives over
SMTP (a real Celery worker, a real SMTP server), its personal link leads to the registration form
after signing in, the organiser approves the request, and the confirmation arrives with its invite."""

from __future__ import annotations

import re

import icalendar
from playwright.sync_api import expect

from events.models import Event, Registration
from tests.e2e.test_accessibility import audit
from tests.e2e.test_submission import sign_in_by_cookie
from tests.events.helpers import make_event
from tests.factories import PASSWORD, UserFactory

INVITATION_LINK = re.compile(r"https?://\S+/events/invitation/\S+/")


def test_an_invited_person_registers_is_approved_and_gets_the_invite(
    page, live_server, celery_workers, mailbox, settings
):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    celery_workers.start(concurrency=1)
    event = make_event(
        capacity=36, mode=Event.Mode.INVITATION, quotas={"Member agency": None, "Observer": 10}
    )
    organiser = UserFactory(name="Olga Organiser")
    event.organisers.add(organiser)
    guest = UserFactory(name="Léa Dupont", email="lea.dupont@unrisd.org")

    sign_in_by_cookie(page, live_server, organiser)
    page.goto("/events/trento-2026/organise/invitations/")
    audit(page, "event-invitations")
    page.locator("#id_add-name").fill("Léa Dupont")
    page.locator("#id_add-email").fill("lea.dupont@unrisd.org")
    page.locator("#id_add-organisation").fill("UNRISD")
    page.locator("#id_add-participant_type").select_option(label="Observer")
    page.get_by_role("button", name="Send the invitation", exact=True).click()
    page.get_by_text("The invitation is on its way.").wait_for()

    (invitation,) = mailbox.wait_for(1, timeout=60, describe=celery_workers.logs)
    assert invitation.to == ["lea.dupont@unrisd.org"]
    (link,) = INVITATION_LINK.findall(mailbox.body_of(invitation))

    page.context.clear_cookies()
    page.goto(link)
    audit(page, "event-invitation")
    page.get_by_role("button", name="Register").click()
    page.get_by_label("Email").fill(guest.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register for")
    expect(page.get_by_text("You are invited as: Observer.")).to_be_visible()
    page.get_by_label("Position").fill("Research officer")
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_role("button", name="Send my registration").click()
    page.get_by_text("the organisers will look at your request").wait_for()
    registration = Registration.objects.get(user=guest)
    assert registration.status == Registration.Status.PENDING
    assert registration.participant_type.name["en"] == "Observer"

    sign_in_by_cookie(page, live_server, organiser)
    page.goto("/events/trento-2026/organise/")
    page.get_by_role("link", name="Léa Dupont").click()
    audit(page, "event-organise-registration")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Léa Dupont: Registered.").wait_for()
    page.get_by_role("link", name="Registrations", exact=True).click()
    page.get_by_role("link", name="Mail to participants").click()
    page.get_by_label("Subject").fill("Practical details for {event}")
    page.get_by_label("Message").fill("Dear {name},\nthe venue opens at 8:30.\n{link}")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Dear Léa Dupont,")).to_be_visible()
    audit(page, "event-group-mail")

    # Passport data needs more than organising the event: the refusal says what.
    assert page.goto("/events/trento-2026/organise/visa-export.xlsx").status == 403
    audit(page, "event-visa-export-refused")

    sign_in_by_cookie(page, live_server, guest)
    page.goto("/events/trento-2026/registration/edit/")
    audit(page, "event-registration-edit")

    mails = mailbox.wait_for(3, timeout=60, describe=celery_workers.logs)  # invitation, request, confirmation
    (confirmation,) = [m for m in mails if m.subject.startswith("You are registered")]
    assert confirmation.to == ["lea.dupont@unrisd.org"]
    (part,) = [p for p in confirmation.message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]).startswith(f"registration-{registration.pk}@")
    assert item["DTSTART"].params["TZID"] == "Europe/Rome"
