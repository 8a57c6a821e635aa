"""Organisers write to an event's registrants: a preview as the first recipient reads it, then one
mail per person, once however many times the form is sent."""

import pytest

from events import services
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import make_event

URL = "/events/trento-2026/organise/mail/"


@pytest.fixture
def organiser(db, client):
    event = make_event(capacity=2)
    for name in ["Ana Pereira", "Ben Okoro", "Chen Yu"]:  # the third one waits
        services.register(event=event, user=UserFactory(name=name))
    person = UserFactory()
    event.organisers.add(person)
    client.force_login(person)
    OutboxMessage.objects.all().delete()
    return person


def message(**extra):
    data = {
        "audience": "registered",
        "subject": "Practical details for {event}",
        "body": "Dear {name},\nthe venue opens at 8:30. Your registration: {link}",
        "token": "t-1",
    }
    data.update(extra)
    return data


def test_the_preview_shows_the_first_recipients_mail_and_sends_nothing(client, organiser):
    page = client.post(URL, {**message(), "preview": "1"}).content.decode()
    assert "Dear Ana Pereira," in page and "Practical details for Technical symposium, Trento" in page
    assert "2 recipients" in page
    assert not OutboxMessage.objects.exists()


def test_sending_twice_sends_once_to_each_person_of_the_audience(client, organiser):
    for _ in range(2):
        response = client.post(URL, {**message(), "send": "1"}, follow=True)
    assert "The mail is on its way to 2 people." in response.content.decode()
    sent = OutboxMessage.objects.order_by("recipient")
    assert sent.count() == 2
    assert {m.body_text.splitlines()[0] for m in sent} == {"Dear Ana Pereira,", "Dear Ben Okoro,"}
    assert "/events/trento-2026/registration/" in sent[0].body_text
    client.post(URL, {**message(audience="waitlisted", token="t-2"), "send": "1"})
    assert OutboxMessage.objects.filter(body_text__startswith="Dear Chen Yu,").count() == 1


def test_an_unknown_placeholder_or_an_empty_audience_is_refused(client, organiser):
    page = client.post(URL, {**message(body="Hello {nom}"), "send": "1"}).content.decode()
    assert "Unknown placeholders: {nom}. You can use: {name}, {event}, {link}." in page
    page = client.post(URL, {**message(audience="pending"), "preview": "1"}).content.decode()
    assert "Nobody is in this group yet." in page
    assert not OutboxMessage.objects.exists()
