"""Passport data (for visa letters) is the one sensitive part of a registration: it reaches no page
or export but the one that needs its own permission and two-factor sign-in (and is logged), and it is
erased, with the letters and every mail that quoted it, a set number of days after the event."""

import datetime
import io

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from openpyxl import load_workbook
from pypdf import PdfReader

from events import privacy, services
from events.models import Registration, SensitiveExport, VisaDetails
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import make_event

PASSPORT = {
    "passport_name": "Amara Nwosu Okafor",
    "nationality": "NG",
    "passport_number": "A09876543",
    "date_of_birth": datetime.date(1984, 3, 2),
}
SECRETS = ["Amara Nwosu Okafor", "A09876543", "1984-03-02"]


@pytest.fixture
def event(db):
    return make_event(capacity=10)


@pytest.fixture
def participant(event, django_capture_on_commit_callbacks):
    person = UserFactory(name="Amara Okafor", email="amara@ilo.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(
            event=event,
            user=person,
            organisation="ILO",
            needs_visa_letter=True,
            visa=PASSPORT,
            days=[event.days[0].isoformat()],
        )
    return registration


def organiser(event, *, permission=False, two_factor=False):
    person = UserFactory()
    event.organisers.add(person)
    if permission:
        person.user_permissions.add(Permission.objects.get(codename="view_visadetails"))
    if two_factor:
        TOTP.activate(person, generate_totp_secret())
    return person


def test_no_page_or_ordinary_export_shows_passport_data(client, event, participant):
    client.force_login(organiser(event, permission=True, two_factor=True))
    pages = [
        "/events/trento-2026/organise/",
        f"/events/trento-2026/organise/registrations/{participant.pk}/",
        "/events/trento-2026/organise/export.csv",
    ]
    for url in pages:
        body = client.get(url).content.decode("utf-8-sig")
        assert not [s for s in SECRETS if s in body], url
    workbook = load_workbook(io.BytesIO(client.get("/events/trento-2026/organise/export.xlsx").content))
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    assert "ILO" in cells and not [s for s in SECRETS if s in cells]
    client.force_login(participant.user)
    for url in ["/events/trento-2026/registration/", "/events/trento-2026/registration/edit/"]:
        body = client.get(url).content.decode()
        assert not [s for s in SECRETS if s in body], url


@pytest.mark.parametrize(("permission", "two_factor"), [(False, False), (True, False), (False, True)])
def test_the_passport_export_needs_the_permission_and_two_factor(
    client, event, participant, permission, two_factor
):
    client.force_login(organiser(event, permission=permission, two_factor=two_factor))
    response = client.get("/events/trento-2026/organise/visa-export.csv")
    assert response.status_code == 403
    assert "A09876543" not in response.content.decode()
    assert not SensitiveExport.objects.exists()


def test_the_passport_export_is_logged(client, event, participant):
    person = organiser(event, permission=True, two_factor=True)
    client.force_login(person)
    response = client.get("/events/trento-2026/organise/visa-export.csv")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    body = response.content.decode("utf-8-sig")
    assert "A09876543" in body and "Amara Nwosu Okafor" in body and "Nigeria" in body
    log = SensitiveExport.objects.get()
    assert (log.user, log.event, log.rows) == (person, event, 1)


def test_a_registration_is_not_found_by_anyone_but_its_events_organisers(client, event, participant):
    other = make_event(slug="other-event")
    url = f"/events/trento-2026/organise/registrations/{participant.pk}/"
    for outsider in [UserFactory(), organiser(other, permission=True, two_factor=True)]:
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    other_participant = services.register(event=event, user=UserFactory(), organisation="X")
    client.force_login(other_participant.user)
    assert client.get(url).status_code == 404
    # The registration of another event, asked for through this one's address: 404 too.
    stranger = services.register(event=other, user=UserFactory(), organisation="Y")
    client.force_login(organiser(event))
    assert client.get(f"/events/trento-2026/organise/registrations/{stranger.pk}/").status_code == 404


def _issue_letter(client, event, participant):
    client.force_login(organiser(event, permission=True, two_factor=True))
    url = f"/events/trento-2026/organise/registrations/{participant.pk}/"
    client.post(url, {"letter": "1"})
    return VisaDetails.objects.get()


def test_an_organiser_with_the_permission_issues_the_letter_and_the_participant_downloads_it(
    client, event, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        details = _issue_letter(client, event, participant)
    assert details.letter and details.letter_sent_at
    text = "".join(page.extract_text() for page in PdfReader(details.letter.open("rb")).pages)
    assert "A09876543" in text
    mail = OutboxMessage.objects.get(subject__startswith="Your visa invitation letter")
    assert "Amara Nwosu Okafor" in mail.body_text  # the letter's name, to check
    client.force_login(participant.user)
    response = client.get("/events/trento-2026/registration/visa-letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(UserFactory())
    assert client.get("/events/trento-2026/registration/visa-letter.pdf").status_code == 404


def test_without_the_permission_no_letter_is_issued(client, event, participant):
    client.force_login(organiser(event))
    response = client.post(f"/events/trento-2026/organise/registrations/{participant.pk}/", {"letter": "1"})
    assert response.status_code == 404
    assert not VisaDetails.objects.get().letter


def test_past_the_delay_passport_data_is_gone_from_the_database_letters_and_mail(
    client, event, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        details = _issue_letter(client, event, participant)
    storage, name = details.letter.storage, details.letter.name
    assert storage.exists(name)
    assert OutboxMessage.objects.filter(body_text__contains="Amara Nwosu Okafor").exists()
    before = event.sensitive_data_expires_at - datetime.timedelta(minutes=1)
    with time_machine.travel(before, tick=False):
        assert privacy.erase_expired() == 0
    assert VisaDetails.objects.exists()
    with (
        time_machine.travel(event.sensitive_data_expires_at, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert privacy.erase_expired() == 1
    assert not VisaDetails.objects.exists()
    assert not storage.exists(name)
    for mail in OutboxMessage.objects.all():
        for secret in SECRETS:
            assert secret not in mail.subject + mail.body_text + mail.body_html
    assert (
        "[erased]" in OutboxMessage.objects.get(subject__startswith="Your visa invitation letter").body_text
    )
    registration = Registration.objects.get()
    assert registration.organisation == "ILO"  # the rest of the registration stays


def test_the_erasure_delay_is_the_events_own(event, participant):
    event.erase_sensitive_after_days = 90
    event.save()
    with time_machine.travel(event.ends_at + datetime.timedelta(days=60), tick=False):
        assert privacy.erase_expired() == 0
    with time_machine.travel(event.ends_at + datetime.timedelta(days=91), tick=False):
        assert privacy.erase_expired() == 1


def test_replacing_or_no_longer_needing_the_details_erases_the_old_ones_everywhere(
    client, event, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        details = _issue_letter(client, event, participant)
    storage, name = details.letter.storage, details.letter.name
    status_mail = OutboxMessage.objects.get(subject__startswith="You are registered")
    new = {**PASSPORT, "passport_name": "Amara N. Okafor", "passport_number": "B1234567"}
    with django_capture_on_commit_callbacks(execute=True):
        services.update(participant, visa=new, needs_visa_letter=True)
    assert not storage.exists(name)  # the letter made from the old details
    letter_mail = OutboxMessage.objects.get(subject__startswith="Your visa invitation letter")
    assert "Amara Nwosu Okafor" not in letter_mail.body_text and "[erased]" in letter_mail.body_text
    assert VisaDetails.objects.get().passport_number == "B1234567"
    with django_capture_on_commit_callbacks(execute=True):
        services.update(participant, needs_visa_letter=False)
    assert not VisaDetails.objects.exists()
    status_mail.refresh_from_db()
    assert "[erased]" not in status_mail.body_text  # only the mails about the letter are touched


def test_cancelling_erases_passport_data_and_coming_back_starts_afresh(
    client, event, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _issue_letter(client, event, participant)
    services.check_in(event, participant)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(participant)
    assert not VisaDetails.objects.exists()
    client.force_login(participant.user)
    assert client.get("/events/trento-2026/registration/visa-letter.pdf").status_code == 404
    again = services.register(event=event, user=participant.user, organisation="ILO")
    assert again.pk == participant.pk and again.checked_in_at is None and not again.needs_visa_letter
    assert again.check_in_code == participant.check_in_code and again.sequence > participant.sequence


def test_passport_details_are_kept_only_when_a_letter_is_asked_for(client, event):
    person = UserFactory()
    client.force_login(person)
    data = {"organisation": "ILO", "days": [event.days[0].isoformat()], "passport_name": "X Y",
            "nationality": "NG", "passport_number": "A1", "date_of_birth": "1990-01-01"}  # fmt: skip
    assert client.post("/events/trento-2026/register/", data).status_code == 302
    assert Registration.objects.get(user=person) and not VisaDetails.objects.exists()


def test_downloading_a_letter_is_logged_too(client, event, participant):
    _issue_letter(client, event, participant)
    response = client.get(f"/events/trento-2026/organise/registrations/{participant.pk}/visa-letter.pdf")
    assert response.status_code == 200
    assert SensitiveExport.objects.get().rows == 1
