"""The event pages as a participant lives them: read, register, see where they stand, cancel; and the
mail each change sends."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Event, Registration
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import kind, make_event

Status = Registration.Status


@pytest.fixture
def event(db):
    event = make_event(capacity=1, quotas={"Member agency": None, "Observer": 5})
    event.online_url = "https://meet.example.org/trento-secret"
    event.save()
    return event


def form(event, **extra):
    days = [day.isoformat() for day in event.days]
    data = {"participant_type": kind(event, "Member agency").pk, "organisation": "EURICSE",
            "position": "Researcher", "country": "IT", "days": days}  # fmt: skip
    data.update(extra)
    return data


def test_a_person_registers_and_then_sees_the_online_link_nobody_else_sees(client, event):
    assert "trento-secret" not in client.get("/events/trento-2026/").content.decode()
    person = UserFactory(name="Carla Rossi")
    client.force_login(person)
    response = client.post("/events/trento-2026/register/", form(event), follow=True)
    assert "You are registered." in response.content.decode()
    assert "trento-secret" in client.get("/events/trento-2026/").content.decode()
    (mail,) = OutboxMessage.objects.filter(recipient=person.email)
    assert mail.subject == "You are registered: Technical symposium, Trento"
    assert "Carla Rossi" in mail.body_text
    registration = Registration.objects.get(user=person)
    assert (registration.organisation, registration.country.code) == ("EURICSE", "IT")


def test_the_next_person_waits_sees_their_place_in_the_queue_and_is_promoted_with_a_mail(client, event):
    first, second, third = UserFactory.create_batch(3)
    services.register(event=event, user=first, participant_type=kind(event, "Member agency"))
    services.register(event=event, user=second, participant_type=kind(event, "Member agency"))
    client.force_login(third)
    assert "The event is full" in client.get("/events/trento-2026/register/").content.decode()
    page = client.post("/events/trento-2026/register/", form(event), follow=True).content.decode()
    assert "you are on the waitlist" in page and "1 person is ahead of you." in page
    client.force_login(first)
    client.post("/events/trento-2026/registration/cancel/")
    client.post("/events/trento-2026/registration/cancel/")  # a double click
    assert Registration.objects.get(user=second).status == Status.REGISTERED
    promoted = OutboxMessage.objects.filter(recipient=second.email, subject__startswith="A place for you")
    assert promoted.count() == 1
    assert Registration.objects.get(user=third).status == Status.WAITLISTED


def test_a_missing_organisation_is_refused_with_a_message_and_nothing_is_registered(client, event):
    client.force_login(UserFactory())
    page = client.post("/events/trento-2026/register/", form(event, organisation="")).content.decode()
    assert "This field is required." in page and not Registration.objects.exists()


def test_an_approval_event_says_so_and_a_closed_one_refuses(client, event):
    event.mode = Event.Mode.APPROVAL
    event.save()
    client.force_login(UserFactory())
    page = client.post("/events/trento-2026/register/", form(event), follow=True).content.decode()
    assert "the organisers will look at your request" in page
    event.registration_closes_at = event.registration_opens_at
    Event.objects.filter(pk=event.pk).update(registration_closes_at=event.registration_opens_at)
    client.force_login(UserFactory())
    page = client.get("/events/trento-2026/register/").content.decode()
    assert "Registration is not open." in page


def test_the_list_and_the_event_page_cost_the_same_for_few_or_many(client, db):
    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    event = make_event(quotas={"Observer": None})
    client.force_login(UserFactory())
    few = cost("/events/"), cost("/events/trento-2026/")
    for n in range(6):
        other = make_event(slug=f"event-{n}", quotas={f"Type {k}": None for k in range(n + 1)})
        for _person in range(n):
            services.register(event=other, user=UserFactory())
    for _person in range(5):
        services.register(event=event, user=UserFactory(), participant_type=kind(event, "Observer"))
    assert (cost("/events/"), cost("/events/trento-2026/")) == few
