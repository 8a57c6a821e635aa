"""Checking people in at the door, by the code on their badge or by name, and the certificate of attendance
it opens: only people who hold a place get in, once; only the event's organisers work the door."""

import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Registration
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status
URL = "/events/trento-2026/organise/check-in/"
AT_THE_DOOR = ["/events/trento-2026/organise/check-in/", "/events/trento-2026/organise/badges.pdf",
               "/events/trento-2026/organise/certificates.pdf"]  # fmt: skip
CERTIFICATE = "/events/trento-2026/registration/certificate.pdf"
MORNING = datetime.datetime(2026, 11, 21, 8, 14, tzinfo=datetime.UTC)  # 09:14 in Trento


@pytest.fixture
def event(db):
    return make_event(capacity=3, quotas={"Member agency": None, "Observer": None})


@pytest.fixture
def organiser(event):
    person = UserFactory(name="Olga Organiser")
    event.organisers.add(person)
    return person


def register(event, name, type_name="Observer", organisation="EURICSE", email=None) -> Registration:
    person = UserFactory(name=name, **({"email": email} if email else {}))
    return services.register(
        event=event, user=person, participant_type=kind(event, type_name), organisation=organisation
    )


def page(response) -> str:
    return " ".join(response.content.decode().split())


def test_a_scanned_badge_checks_its_person_in_and_a_second_scan_changes_nothing(client, event, organiser):
    carla = register(event, "Carla Rossi")
    client.force_login(organiser)
    assert "Checked in: 0 of 1 registered participant." in page(client.get(URL))
    with time_machine.travel(MORNING, tick=False):
        response = client.post(URL, {"q": f"  {carla.check_in_code}\n"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Checked in: Carla Rossi (Observer)." in page(response)
    assert "Checked in: 1 of 1 registered participant." in page(response)
    carla.refresh_from_db()
    assert carla.checked_in_at == MORNING
    with time_machine.travel(MORNING + datetime.timedelta(hours=2), tick=False):
        again = client.post(URL, {"q": carla.check_in_code}, follow=True)
        client.post(URL, {"registration": carla.pk})  # and from a search, at the other desk
    assert "Carla Rossi (Observer) was already checked in at 09:14." in page(again)
    carla.refresh_from_db()
    assert carla.checked_in_at == MORNING


def test_a_search_by_name_e_mail_or_organisation_lists_people_to_check_in(client, event, organiser):
    carla = register(event, "Carla Rossi", organisation="EURICSE", email="carla@euricse.example")
    ben = register(event, "Ben Okoro", "Member agency", organisation="GSEF")
    client.force_login(organiser)
    for query in ["rossi", "carla@euricse", "Euricse"]:
        response = client.post(URL, {"q": query}, follow=True)
        assert response.redirect_chain == [(f"{URL}?q={quote(query)}", 302)], query
        found = page(response)
        assert "Carla Rossi" in found and "Ben Okoro" not in found, query
        assert f'name="registration" value="{carla.pk}"' in found
    response = client.post(URL, {"registration": ben.pk}, follow=True)
    assert "Checked in: Ben Okoro (Member agency)." in page(response)
    ben.refresh_from_db()
    assert ben.checked_in_at is not None
    listed = page(client.get(URL, {"q": "gsef"}))
    assert "Checked in at" in listed and f'value="{ben.pk}"' not in listed


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.WAITLISTED, Status.PENDING])
def test_a_person_without_a_place_is_shown_as_not_admissible_and_never_checked_in(
    client, event, organiser, status
):
    dana = register(event, "Dana Fischer")
    Registration.objects.filter(pk=dana.pk).update(status=status)
    client.force_login(organiser)
    found = page(client.get(URL, {"q": "Fischer"}))
    assert "Not admissible" in found and f'name="registration" value="{dana.pk}"' not in found
    for data in ({"q": dana.check_in_code}, {"registration": dana.pk}):
        response = client.post(URL, data, follow=True)
        assert "Dana Fischer holds no place" in page(response) and "cannot be checked in" in page(response)
    dana.refresh_from_db()
    assert dana.checked_in_at is None


def test_a_badge_of_another_event_is_not_found_here(client, event, organiser):
    other = make_event(slug="elsewhere")
    stranger = services.register(event=other, user=UserFactory(name="Eve Elsewhere"))
    client.force_login(organiser)
    found = page(client.post(URL, {"q": stranger.check_in_code}, follow=True))
    assert "No registration for this event has this code." in found and "Eve Elsewhere" not in found
    assert client.post(URL, {"registration": stranger.pk}).status_code == 404
    assert client.post(URL, {"registration": "1 OR 1=1"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_the_service_checks_in_once_and_refuses_an_unknown_code(event):
    carla = register(event, "Carla Rossi")
    first, already = services.check_in(event, carla.check_in_code)
    assert (first.pk, already) == (carla.pk, False)
    second, already = services.check_in(event, carla)
    assert already and second.checked_in_at == first.checked_in_at
    with pytest.raises(ValidationError) as refusal:
        services.check_in(event, "not-a-code")
    assert refusal.value.code == "unknown"


@pytest.mark.parametrize("role", ["participant", "other_organiser", "stranger"])
def test_only_the_events_organisers_and_staff_work_its_door(client, event, organiser, role):
    participant = register(event, "Carla Rossi")
    other = make_event(slug="elsewhere")
    other.organisers.add(other_organiser := UserFactory())
    person = {"participant": participant.user, "other_organiser": other_organiser, "stranger": UserFactory()}
    client.force_login(person[role])
    for url in AT_THE_DOOR:
        assert client.get(url).status_code == 403, url
    assert client.post(URL, {"q": participant.check_in_code}).status_code == 403
    participant.refresh_from_db()
    assert participant.checked_in_at is None
    client.logout()
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_staff_work_the_door_too(staff_client, event):
    for url in AT_THE_DOOR:
        assert staff_client.get(url).status_code == 200, url


def test_the_search_costs_the_same_for_few_or_many_matches(client, event, organiser):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": "Rossi"}).status_code == 200
        return len(queries)

    # Session, person, event, organiser check; the matches, the counts, the participant types.
    event.capacity = 40
    event.save()
    register(event, "Carla Rossi")
    client.force_login(organiser)
    few = cost()
    for n in range(12):
        registration = register(event, f"Paolo Rossi {n}", "Member agency" if n % 2 else "Observer")
        if n % 3 == 0:
            services.check_in(event, registration)
        if n % 4 == 0:
            services.cancel(registration)
    assert cost() == few


def test_a_participant_gets_their_certificate_once_checked_in_and_nobody_else_gets_it(client, event):
    carla = register(event, "Carla Rossi")
    client.force_login(carla.user)
    assert "certificate.pdf" not in page(client.get("/events/trento-2026/registration/"))
    response = client.get(CERTIFICATE, follow=True)
    assert "Your certificate of attendance is ready once you are checked in" in page(response)
    services.check_in(event, carla)
    assert "Download your certificate (PDF)" in page(client.get("/events/trento-2026/registration/"))
    response = client.get(CERTIFICATE)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-trento-2026.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(CERTIFICATE).status_code == 404  # not registered: nobody else's certificate
    client.force_login(register(event, "Ben Okoro").user)
    assert client.get(CERTIFICATE)["Location"] == "/events/trento-2026/registration/"  # their own, not yet


def test_the_organisers_certificates_are_those_of_everyone_checked_in(client, event, organiser):
    from .test_documents import text_of

    carla, ben = register(event, "Carla Rossi"), register(event, "Ben Okoro")
    register(event, "Dana Fischer")
    services.check_in(event, carla)
    services.check_in(event, ben)
    client.force_login(organiser)
    response = client.get("/events/trento-2026/organise/certificates.pdf")
    text = text_of(b"".join(response.streaming_content))
    assert text.index("Ben Okoro") < text.index("Carla Rossi") and "Dana Fischer" not in text
