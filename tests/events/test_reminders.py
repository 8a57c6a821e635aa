"""The reminder before an event: one mail per registered participant once the event is `reminder_days`
away, however often the hourly task runs, in the participant's language, with when, where, the online
link and the link to their registration."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from events import services
from events.models import Registration, Session
from events.tasks import send_event_reminders
from notifications.models import OutboxMessage
from tests.factories import UserFactory

from .helpers import make_event

ROME = zoneinfo.ZoneInfo("Europe/Rome")
STARTS = datetime.datetime(2027, 11, 21, 9, 0, tzinfo=ROME)


@pytest.fixture
def event(db):
    event = make_event(capacity=1)
    event.venue, event.address = "EURICSE", "Via Sighele 6\n38122 Trento"
    event.online_url = "https://meet.example.org/trento-secret"
    event.starts_at, event.ends_at = STARTS, STARTS + datetime.timedelta(days=1, hours=8)
    event.save()
    return event


def reminders():
    return OutboxMessage.objects.filter(idempotency_key__startswith="event-reminder:")


def run_hourly_task(at, django_capture_on_commit_callbacks):
    with time_machine.travel(at), django_capture_on_commit_callbacks(execute=True):
        send_event_reminders.delay()


def test_each_registered_participant_is_reminded_once_within_the_window(
    event, django_capture_on_commit_callbacks
):
    placed = UserFactory(name="Carla Rossi", email="carla@euricse.eu")
    waiting = UserFactory()
    services.register(event=event, user=placed)
    services.register(event=event, user=waiting)  # capacity 1: on the waitlist, not reminded
    mail.outbox.clear()

    run_hourly_task(STARTS - datetime.timedelta(days=3, hours=1), django_capture_on_commit_callbacks)
    assert not reminders().exists() and not mail.outbox  # too early

    for hours in (71, 70, 2):  # the hourly task, again and again, until the event starts
        run_hourly_task(STARTS - datetime.timedelta(hours=hours), django_capture_on_commit_callbacks)
    (reminder,) = reminders()
    assert reminder.recipient == "carla@euricse.eu"
    assert [sent.to for sent in mail.outbox] == [["carla@euricse.eu"]]  # sent, once
    assert reminder.subject == "Coming up on Nov. 21, 2027: Technical symposium, Trento"
    body = reminder.body_text
    assert "Dear Carla Rossi," in body
    assert "When: Nov. 21, 2027, 9 a.m. – Nov. 22, 2027, 5 p.m. (Europe/Rome)" in body
    assert "Where: EURICSE, Via Sighele 6, 38122 Trento" in body
    assert "Online: https://meet.example.org/trento-secret" in body
    assert "/events/trento-2026/registration/" in body and "Programme:" not in body

    # A place freed: the person promoted is reminded at the next run; the one who cancelled is not again.
    services.cancel(Registration.objects.get(user=placed))
    run_hourly_task(STARTS - datetime.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert sorted(message.recipient for message in reminders()) == sorted([placed.email, waiting.email])


def test_no_reminder_once_the_event_has_started_or_when_the_organisers_want_none(
    event, django_capture_on_commit_callbacks
):
    services.register(event=event, user=UserFactory())
    run_hourly_task(STARTS + datetime.timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert not reminders().exists()
    event.reminder_days = 0
    event.save()
    run_hourly_task(STARTS - datetime.timedelta(minutes=30), django_capture_on_commit_callbacks)
    assert not reminders().exists()


def test_the_reminder_speaks_the_participants_language_and_links_the_programme(
    event, django_capture_on_commit_callbacks
):
    event.reminder_days = 7
    event.save()
    Session.objects.create(event=event, title={"en": "Opening"}, starts_at=STARTS,
                           ends_at=STARTS + datetime.timedelta(hours=1))  # fmt: skip
    services.register(event=event, user=UserFactory(preferred_language="fr"))
    run_hourly_task(STARTS - datetime.timedelta(days=6), django_capture_on_commit_callbacks)
    (reminder,) = reminders()
    assert reminder.language == "fr"
    assert "/events/trento-2026/programme/" in reminder.body_text
