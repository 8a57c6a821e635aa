"""A registration's confirmation goes through a real Celery worker and a real SMTP server, and arrives
with its calendar invite as a text/calendar part that the icalendar library reads."""

from __future__ import annotations

import icalendar

from events import services
from tests.events.helpers import make_event
from tests.factories import UserFactory
from tests.services import wait_until


def test_the_confirmation_arrives_over_smtp_with_its_invite(celery_workers, mailbox):
    celery_workers.start(concurrency=1)
    event = make_event(capacity=5)
    registration = services.register(event=event, user=UserFactory(email="carla@euricse.eu"))

    wait_until(lambda: mailbox.mails, timeout=60, message="the confirmation to arrive")
    (received,) = mailbox.mails
    assert received.to == ["carla@euricse.eu"] and received.subject.startswith("You are registered")
    (part,) = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    (item,) = calendar.walk("VEVENT")
    assert str(item["UID"]).startswith(f"registration-{registration.pk}@")
    assert item.decoded("DTSTART") == event.starts_at.replace(microsecond=0)  # to the second, as iCalendar
    assert item["DTSTART"].params["TZID"] == "Europe/Rome"
