"""The organisers' list of an event's registrations: counts per status and type, and approving or
rejecting requests, each with its mail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Event, Registration
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status
URL = "/events/trento-2026/organise/"


@pytest.fixture
def event(db):
    event = make_event(capacity=2, mode=Event.Mode.APPROVAL, quotas={"Member agency": None, "Observer": 1})
    return event


@pytest.fixture
def organiser(event):
    person = UserFactory(name="Olga Organiser")
    event.organisers.add(person)
    return person


def request_place(event, name, type_name="Observer"):
    person = UserFactory(name=name)
    kind_of = kind(event, type_name)
    return services.register(event=event, user=person, participant_type=kind_of, organisation="GSEF")


def test_an_organiser_approves_and_rejects_requests_and_each_person_is_told(client, event, organiser):
    first, second = request_place(event, "Ana Pereira"), request_place(event, "Ben Okoro")
    client.force_login(organiser)
    page = client.get(URL).content.decode()
    assert "Ana Pereira" in page and "Ben Okoro" in page and "0 of 2 places taken." in page
    client.post(URL, {"registration": first.pk, "approve": "1"})
    client.post(URL, {"registration": first.pk, "approve": "1"})  # a double click
    client.post(URL, {"registration": second.pk, "reject": "1"})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Status.REGISTERED, Status.REJECTED)
    assert (
        OutboxMessage.objects.filter(
            recipient=first.user.email, subject__startswith="You are registered"
        ).count()
        == 1
    )
    assert (
        OutboxMessage.objects.filter(
            recipient=second.user.email, subject__startswith="Your request was not"
        ).count()
        == 1
    )
    page = client.get(URL + "?status=registered").content.decode()  # the table, after the notices
    assert "Ana Pereira</a><br>" in page and "Ben Okoro</a><br>" not in page


def test_the_observers_quota_sends_an_approved_observer_to_the_waitlist(client, event, organiser):
    first, second = request_place(event, "Ana Pereira"), request_place(event, "Ben Okoro")
    client.force_login(organiser)
    for registration in (first, second):
        client.post(URL, {"registration": registration.pk, "approve": "1"})
    second.refresh_from_db()
    assert second.status == Status.WAITLISTED


def test_odd_or_foreign_registrations_are_not_found(client, event, organiser):
    other = make_event(slug="other", mode=Event.Mode.APPROVAL)
    foreign = services.register(event=other, user=UserFactory())
    client.force_login(organiser)
    assert client.post(URL, {"registration": foreign.pk, "approve": "1"}).status_code == 404
    assert client.post(URL, {"registration": "abc", "approve": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.PENDING


def test_the_list_costs_the_same_for_few_or_many(client, event, organiser):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    request_place(event, "Ana Pereira")
    client.force_login(organiser)
    few = cost()
    for n in range(12):
        request_place(event, f"Person {n}", "Member agency" if n % 2 else "Observer")
    assert cost() == few


def test_an_organiser_cancels_a_registration_and_undoes_a_check_in(client, event, organiser):
    registration = request_place(event, "Ana Pereira")
    services.approve(registration)
    services.check_in(event, registration)
    client.force_login(organiser)
    url = f"/events/trento-2026/organise/registrations/{registration.pk}/"
    client.post(url, {"undo_check_in": "1"})
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    page = client.post(url, {"cancel": "1"}, follow=True).content.decode()
    assert "The registration is cancelled, and the participant was told." in page
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert OutboxMessage.objects.filter(subject__startswith="Your registration is cancelled").count() == 1


def test_a_person_finds_all_their_registrations(client, event):
    person = UserFactory()
    client.force_login(person)
    assert (
        "You have not registered for any event yet."
        in client.get("/events/my-registrations/").content.decode()
    )
    services.register(event=event, user=person, participant_type=kind(event, "Observer"))
    page = client.get("/events/my-registrations/").content.decode()
    assert "Technical symposium, Trento" in page and "Awaiting approval" in page


def test_the_list_finds_a_person_by_name_address_or_organisation(client, event, organiser):
    request_place(event, "Ana Pereira")
    request_place(event, "Ben Okoro")
    client.force_login(organiser)
    page = client.get(URL + "?q=pereira").content.decode()
    assert "Ana Pereira</a>" in page and "Ben Okoro</a>" not in page
    page = client.get(URL + "?q=nobody-like-this").content.decode()
    assert "Nobody matches these filters." in page
    assert client.get(URL + "?q=%00").status_code == 200
