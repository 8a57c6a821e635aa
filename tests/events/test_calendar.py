"""The calendar invite in a registration's mail reads back with the icalendar library: the event's
start, end and zone, a UID that stays the registration's, a SEQUENCE raised on each change, and
METHOD:CANCEL once cancelled."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail

from events import services
from notifications.models import OutboxMessage
from notifications.services import deliver
from tests.factories import UserFactory

from .helpers import make_event

ROME = zoneinfo.ZoneInfo("Europe/Rome")


@pytest.fixture
def event(db):
    event = make_event(capacity=1)
    event.starts_at = datetime.datetime(2027, 11, 21, 9, 0, tzinfo=ROME)
    event.ends_at = datetime.datetime(2027, 11, 22, 17, 30, tzinfo=ROME)
    event.save()
    return event


def invite_of(message):
    calendar = icalendar.Calendar.from_ical(message.calendar)
    (item,) = calendar.walk("VEVENT")
    return calendar, item


def test_the_invite_has_the_start_end_zone_and_uid_and_a_cancellation_cancels_it(event):
    person, waiting = UserFactory(email="carla@euricse.eu"), UserFactory()
    registration = services.register(event=event, user=person)
    services.register(event=event, user=waiting)  # on the waitlist: no invite for now
    (confirmation,) = OutboxMessage.objects.filter(recipient=person.email)
    calendar, item = invite_of(confirmation)
    assert calendar["METHOD"] == "REQUEST" and item["STATUS"] == "CONFIRMED"
    assert item.decoded("DTSTART") == datetime.datetime(2027, 11, 21, 9, 0, tzinfo=ROME)
    assert item.decoded("DTEND") == datetime.datetime(2027, 11, 22, 17, 30, tzinfo=ROME)
    assert item["DTSTART"].params["TZID"] == "Europe/Rome"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Rome"]
    assert str(item["UID"]).startswith(f"registration-{registration.pk}@")
    assert not OutboxMessage.objects.get(recipient=waiting.email).calendar

    services.cancel(registration)
    cancelled = OutboxMessage.objects.filter(recipient=person.email).latest("pk")
    calendar, later = invite_of(cancelled)
    assert calendar["METHOD"] == "CANCEL" and later["STATUS"] == "CANCELLED"
    assert later["UID"] == item["UID"] and later["SEQUENCE"] > item["SEQUENCE"]
    promoted = OutboxMessage.objects.filter(recipient=waiting.email).latest("pk")
    assert invite_of(promoted)[0]["METHOD"] == "REQUEST"  # the person promoted gets their invite


def test_the_invite_travels_as_a_text_calendar_part(event, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.register(event=event, user=UserFactory())
    deliver(message=OutboxMessage.objects.get())
    (sent,) = mail.outbox
    ((name, content, kind),) = sent.attachments
    assert name == "invite.ics" and kind == "text/calendar; method=REQUEST; charset=utf-8"
    assert "BEGIN:VCALENDAR" in content


def test_moving_the_event_sends_each_registered_person_an_updated_invite(event):
    person = UserFactory()
    services.register(event=event, user=person)
    _calendar, before = invite_of(OutboxMessage.objects.get(recipient=person.email))
    event.starts_at += datetime.timedelta(days=1)
    event.ends_at += datetime.timedelta(days=1)
    event.save()
    assert services.event_changed(event) == 1
    moved = OutboxMessage.objects.filter(recipient=person.email).latest("pk")
    assert moved.subject == "New date or place: Technical symposium, Trento"
    calendar, after = invite_of(moved)
    assert calendar["METHOD"] == "REQUEST" and after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == datetime.datetime(2027, 11, 22, 9, 0, tzinfo=ROME)
